from ._import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import staff records from a CSV or XLSX file, matched by personnel number. The file is "
        "applied all-or-nothing; with any error nothing is written and the exit code is 1."
    )
    kind = "staff"
