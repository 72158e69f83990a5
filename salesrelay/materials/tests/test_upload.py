"""The director uploads sales materials: a file kept under MEDIA_ROOT, each upload of a title a
new version, types and sizes limited; the sales roles download it through the app."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from salesrelay.audit.models import AuditEntry
from salesrelay.errors import ActionError
from salesrelay.materials import actions
from salesrelay.materials.models import SalesMaterial
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf(name="catalog.pdf", content=b"%PDF-1.4 catalog"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_each_upload_of_a_title_is_its_next_version(db, org, media):
    director = org[0]["director"].user
    first = actions.upload_material(title="Bath catalog", kind="catalog", upload=pdf(),
                                    target_segment="retail_chain", acting_user=director,
                                    published_on=date(2026, 3, 1))
    second = actions.upload_material(title="bath catalog ", kind="catalog",
                                     upload=pdf(content=b"%PDF-1.4 v2"), acting_user=director,
                                     published_on=date(2026, 4, 1))
    assert [(m.ref, m.title, m.version, m.published_on, m.target_segment) for m in
            SalesMaterial.objects.order_by("pk")] == [
        (first.ref, "Bath catalog", "1", date(2026, 3, 1), "retail_chain"),
        (second.ref, "bath catalog", "2", date(2026, 4, 1), "")]
    assert (media / first.file.name).read_bytes() == b"%PDF-1.4 catalog"
    assert first.file.name == "materials/catalog.pdf" and second.file.name != first.file.name
    assert [(e.object_ref, e.details["version"]) for e in AuditEntry.objects.filter(
        action="material.upload").order_by("id")] == [(first.ref, "1"), (second.ref, "2")]


def test_a_file_of_another_type_or_too_big_is_refused_and_nothing_kept(db, org, media,
                                                                     monkeypatch):
    with pytest.raises(ActionError) as refused:
        actions.upload_material(title="Tool", kind="other", upload=pdf("tool.exe"),
                                acting_user=None)
    assert refused.value.message.startswith(
        "tool.exe is not a file type sales materials may have (pdf, pptx, ")
    monkeypatch.setattr(actions, "MAX_BYTES", 1024 * 1024)
    with pytest.raises(ActionError) as refused:
        actions.upload_material(title="Tool", kind="other", upload=pdf(content=b"x" * 1_700_000),
                                acting_user=None)
    assert refused.value.message == "catalog.pdf is 1.6 MB: a sales material is at most 1 MB"
    with pytest.raises(ActionError) as refused:
        actions.upload_material(title="Tool", kind="other", upload=pdf("a.pdf", b"x"),
                                target_segment="salon", acting_user=None)
    assert refused.value.message == "No segment salon"
    assert SalesMaterial.objects.count() == 0 and not media.exists()


def test_the_page_uploads_for_the_director_and_the_sales_roles_download(client, org):
    client.login(username="dora", password=PASSWORD)
    response = client.post("/materials/upload/", {"title": "Price list", "kind": "price_list",
                                                  "target_segment": "dealer", "file": pdf("p.pdf")})
    assert response.status_code == 302
    material = SalesMaterial.objects.get()
    page = client.get("/materials/").content.decode()
    assert f'href="/materials/{material.ref}/file/"' in page
    client.login(username="anna", password=PASSWORD)
    download = client.get(f"/materials/{material.ref}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == \
        b"%PDF-1.4 catalog"
    assert client.get("/materials/upload/").status_code == 403
    client.login(username="ada", password=PASSWORD)
    assert client.get(f"/materials/{material.ref}/file/").status_code == 403
