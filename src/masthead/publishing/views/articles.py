from django.http import HttpResponse


def post_detail(request, year, month, day, slug):
    return HttpResponse("")


def page_detail(request, path):
    return HttpResponse("")


def preview_post(request, pk):
    return HttpResponse("")


def preview_page(request, pk):
    return HttpResponse("")
