from ._import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import org units (code, name, kind, parent code, valid from) from a CSV or XLSX file. "
        "The file is applied all-or-nothing; with any error nothing is written and the exit "
        "code is 1."
    )
    kind = "org_units"
