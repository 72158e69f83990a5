"""Words on the pages: the default pipeline stages in the reader's language, a stage the
installation named itself as it was typed."""

from salesrelay.pipeline.models import PipelineStage
from tests.conftest import PASSWORD


def test_the_board_names_the_default_stages_in_russian_and_a_typed_name_as_typed(client, org):
    PipelineStage.objects.filter(code="proposal").update(name="КП отправлено")
    client.login(username="anna", password=PASSWORD)
    english = client.get("/pipeline/").content.decode()
    assert "<span>Meeting scheduled</span>" in english
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    russian = client.get("/pipeline/").content.decode()
    assert "<span>Встреча назначена</span>" in russian
    assert ">Первый контакт</option>" in russian
    assert "<span>КП отправлено</span>" in russian
    home = client.get("/").content.decode()
    assert "<td>Встреча проведена</td>" in home
