from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from salesrelay.errors import ActionError
from salesrelay.people.actions import hire_employee, link_login
from salesrelay.people.models import Employee


class Command(BaseCommand):
    help = ("Give an employee a login (--employee ID), or hire one with a login "
            "(--name, --role, --department).")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", required=True)
        parser.add_argument("--employee", help="the employee's id")
        parser.add_argument("--name")
        parser.add_argument("--email", default="")
        parser.add_argument("--role")
        parser.add_argument("--department")

    def handle(self, *args, username, password, employee, name, email, role, department, **options):
        try:
            # AUTH_PASSWORD_VALIDATORS: at least 12 characters.
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        try:
            if employee:
                found = Employee.objects.filter(ref=employee).first()
                if found is None:
                    raise CommandError(f"no employee with id {employee!r}")
                link_login(found, username=username, password=password, acting_user=None)
            else:
                if not (name and role and department):
                    raise CommandError("give --employee ID, or --name, --role and --department")
                hire_employee(name=name, email=email, department=department, role=role,
                              hired_on=date.today(), username=username, password=password,
                              acting_user=None)
        except ActionError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"login {username} ready")
