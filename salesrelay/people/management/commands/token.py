from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken

from salesrelay.people.actions import create_token, revoke_token


class Command(BaseCommand):
    help = ("Personal API tokens: `token create LOGIN` prints a new token once; `token list LOGIN`; "
            "`token revoke LOGIN ID`.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("login")
        parser.add_argument("token_id", nargs="?", help="for revoke: the token's id (see list)")

    def handle(self, *args, action, login, token_id, **options):
        user = get_user_model().objects.filter(username=login).first()
        if user is None:
            raise CommandError(f"no login {login!r}")
        if action == "create":
            instance, text = create_token(user)
            expiry = f" (valid until {instance.expiry:%Y-%m-%d})" if instance.expiry else ""
            self.stderr.write(f"token {instance.token_key} for {login}{expiry}; it is shown once:")
            self.stdout.write(text)
        elif action == "list":
            for token in AuthToken.objects.filter(user=user).order_by("-created"):
                expiry = f"{token.expiry:%Y-%m-%d}" if token.expiry else "never"
                self.stdout.write(f"{token.token_key}  created {token.created:%Y-%m-%d %H:%M}  "
                                  f"expires {expiry}")
        else:
            if not token_id:
                raise CommandError("give the token's id: token revoke LOGIN ID")
            token = AuthToken.objects.filter(user=user, token_key=token_id).first()
            if token is None:
                raise CommandError(f"{login} has no token {token_id!r}")
            revoke_token(token)
            self.stdout.write(f"token {token_id} of {login} revoked")
