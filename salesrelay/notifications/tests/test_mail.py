from django.core.mail import EmailMessage

from salesrelay.notifications.mail import ConsoleEmailBackend


def test_without_a_mail_server_messages_go_to_stderr_not_to_a_commands_output(capsys):
    message = EmailMessage("SalesRelay: Pay calculated", "Your pay for 2026-03 is calculated.",
                           "salesrelay@localhost", ["anna@example.com"])
    assert ConsoleEmailBackend().send_messages([message]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "Subject: SalesRelay: Pay calculated" in err
    assert "To: anna@example.com" in err
