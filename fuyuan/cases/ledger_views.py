from django.http import HttpRequest, HttpResponse


def case_export(request: HttpRequest) -> HttpResponse:
    return HttpResponse("TODO")


def ledger_import(request: HttpRequest) -> HttpResponse:
    return HttpResponse("TODO")


def ledger_template(request: HttpRequest) -> HttpResponse:
    return HttpResponse("TODO")
