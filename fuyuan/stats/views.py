from django.http import HttpRequest, HttpResponse


def figures(request: HttpRequest) -> HttpResponse:
    return HttpResponse("TODO")
