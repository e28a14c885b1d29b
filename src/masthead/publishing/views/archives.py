from django.http import HttpResponse


def home(request):
    return HttpResponse("home")


def category(request, path):
    return HttpResponse("")


def tag(request, slug):
    return HttpResponse("")


def author(request, slug):
    return HttpResponse("")


def year(request, year):
    return HttpResponse("")


def month(request, year, month):
    return HttpResponse("")


def day(request, year, month, day):
    return HttpResponse("")
