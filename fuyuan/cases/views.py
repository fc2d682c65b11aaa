from django.http import HttpRequest, HttpResponse


def case_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("TODO")


def case_create(request: HttpRequest, kind: str) -> HttpResponse:
    return HttpResponse("TODO")


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("TODO")


def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("TODO")
