"""Import: upload a file, see what a dry run would do, then confirm.

The dry run keeps the file server-side (keepwarm.store.uploads) and the confirm form posts only its id,
so any server process can finish the import and files up to the documented 5 MB get through (a form
field carrying the file was refused above 1 MB).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response

from keepwarm.errors import InvalidInputError
from keepwarm.web.context import Account, web_of
from keepwarm.web.importing import MAX_BYTES, PREVIEW_ROWS, run_import
from keepwarm.web.security import page_user

router = APIRouter(include_in_schema=False)


class _RollBack(Exception):
    """Ends a dry run's transaction without saving."""


@router.get("/import")
def import_page(request: Request, account: Account = Depends(page_user)) -> Response:
    """The upload form."""
    return web_of(request).render(request, "import.html", {"page_name": "import"})


@router.post("/import")
async def upload(request: Request, file: UploadFile = File(...),
                 account: Account = Depends(page_user)) -> Response:
    """Read the upload, show the dry-run report and keep the file for the confirmation; nothing of the
    import is saved yet."""
    from starlette.concurrency import run_in_threadpool

    from keepwarm.store import uploads

    name = (file.filename or "upload").rsplit("/", 1)[-1][:200]
    data = await file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InvalidInputError(f"{name}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB, the "
                                "most the web app takes; import it with `keepwarm import` instead")
    web = web_of(request)

    def dry() -> tuple[dict, str]:
        report: dict = {}
        try:
            with web.store(account) as store:
                report = run_import(store, name, data, True)
                raise _RollBack()  # a dry run never writes, whatever the importer did
        except _RollBack:
            pass
        with web.db.session() as session:  # a file that cannot be read is never kept (run_import raised)
            return report, uploads.save(session, account.id, name, data)

    report, upload_id = await run_in_threadpool(dry)
    return web.render(request, "import.html", {"report": report, "filename": name, "upload_id": upload_id,
                                               "cap": PREVIEW_ROWS, "page_name": "import"})


@router.post("/import/confirm")
def confirm(request: Request, upload_id: str = Form(..., max_length=64),
            account: Account = Depends(page_user)) -> Response:
    """Import the kept file for real (once: the upload is taken in the same transaction) and show what
    was done."""
    from keepwarm.store import uploads

    web = web_of(request)
    with web.store(account) as store:
        filename, data = uploads.take(store.session, account.id, upload_id)
        report = run_import(store, filename, data, False)
    return web.render(request, "import.html", {"report": report, "filename": filename, "done": True,
                                               "cap": PREVIEW_ROWS, "page_name": "import"})
