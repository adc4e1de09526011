"""Import: upload a file, see what a dry run would do, then confirm."""

from __future__ import annotations

import base64
import binascii

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response

from keepwarm.errors import InvalidInputError
from keepwarm.web.context import Account, web_of
from keepwarm.web.importing import MAX_BYTES, run_import
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
    """Read the upload and show the dry-run report; nothing is saved yet."""
    from starlette.concurrency import run_in_threadpool

    data = await file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InvalidInputError(f"{file.filename}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    name = (file.filename or "upload").rsplit("/", 1)[-1][:200]
    web = web_of(request)

    def dry() -> dict:
        report: dict = {}
        try:
            with web.store(account) as store:
                report = run_import(store, name, data, True)
                raise _RollBack()  # a dry run never writes, whatever the importer did
        except _RollBack:
            return report

    report = await run_in_threadpool(dry)
    # the file travels with the confirm form, so any server process can finish the import
    return web.render(request, "import.html", {"report": report, "filename": name,
                                               "payload": base64.b64encode(data).decode(),
                                               "page_name": "import"})


@router.post("/import/confirm")
def confirm(request: Request, filename: str = Form(..., max_length=200),
            payload: str = Form(..., max_length=MAX_BYTES * 2),
            account: Account = Depends(page_user)) -> Response:
    """Import the file for real and show what was done."""
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInputError("the upload was damaged; choose the file again") from None
    web = web_of(request)
    with web.store(account) as store:
        report = run_import(store, filename, data, False)
    return web.render(request, "import.html", {"report": report, "filename": filename,
                                               "done": True, "page_name": "import"})
