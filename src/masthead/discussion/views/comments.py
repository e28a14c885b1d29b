from django.http import HttpResponse


def post_comment(request):
    return HttpResponse("")


def edit_comment(request, pk):
    return HttpResponse("")


delete_comment = like_comment = edit_comment
