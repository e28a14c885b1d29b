from django.http import HttpResponse


def robots_txt(request):
    return HttpResponse("", content_type="text/plain")


def not_found(request, exception=None):
    return HttpResponse("not found", status=404)


def server_error(request):
    return HttpResponse("error", status=500)
