"""The exchange folder of a session: files 1C posts (appended part by part), zips unpacked, names kept inside."""

import re
import shutil
import time
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db.models import F

from exchange.exceptions import ExchangeRefused
from exchange.models import ExchangeFile, ExchangeSession

BAD_NAME = "Недопустимое имя файла"
BAD_EXTENSION = "Файлы такого типа не принимаются"
TOO_BIG = "Файл больше допустимого размера"
NO_FILE = "Файл не найден в папке обмена"
BAD_ZIP = "Архив не читается"
# What a web server might run, or a browser show as a page, if it ever got there.
REFUSED_EXTENSIONS = {
    ".php", ".phtml", ".phar", ".py", ".pyc", ".pl", ".cgi", ".sh", ".bash", ".exe", ".bat", ".cmd", ".com",
    ".js", ".mjs", ".jsp", ".asp", ".aspx", ".htm", ".html", ".shtml", ".svg", ".htaccess", ".so", ".dll",
}  # fmt: skip
_DRIVE = re.compile(r"^[A-Za-z]:")
COPY_CHUNK = 1024 * 1024


def exchange_root() -> Path:
    """Where the sessions' folders live: EXCHANGE_ROOT, else exchange_1c under the private media root."""
    root = getattr(settings, "EXCHANGE_ROOT", "") or Path(settings.PRIVATE_MEDIA_ROOT) / "exchange_1c"
    return Path(root)


def session_folder(session: ExchangeSession) -> Path:
    return exchange_root() / (session.folder or f"session-{session.pk}")


def safe_name(name: str) -> str:
    """The name 1C sent, as a relative path inside the folder; ExchangeRefused if it would leave it or run."""
    if not name or "\x00" in name or len(name) > 200:
        raise ExchangeRefused(BAD_NAME)
    unified = name.replace("\\", "/")
    path = PurePosixPath(unified)
    if unified.startswith("/") or _DRIVE.match(unified) or any(part in ("..", "") for part in path.parts):
        raise ExchangeRefused(BAD_NAME)
    if any(part.startswith(".") for part in path.parts):
        raise ExchangeRefused(BAD_NAME)
    if path.suffix.lower() in REFUSED_EXTENSIONS or any(
        f".{s}" in REFUSED_EXTENSIONS for s in path.name.split(".")[1:]
    ):
        raise ExchangeRefused(BAD_EXTENSION)
    return str(path)


def file_path(session: ExchangeSession, name: str) -> Path:
    """The file's place in the session's folder, checked to be inside it."""
    folder = session_folder(session).resolve()
    path = (folder / safe_name(name)).resolve()
    if folder not in path.parents:
        raise ExchangeRefused(BAD_NAME)
    return path


def folder_reset(*, session: ExchangeSession) -> Path:
    """Start the session's folder afresh (mode=init)."""
    folder = session_folder(session)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def folders_sweep(*, older_than_seconds: float) -> int:
    """Remove the folders of sessions left unfinished longer than that (an old 1C never calls complete)."""
    root = exchange_root()
    if not root.is_dir():
        return 0
    limit = time.time() - older_than_seconds
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def folder_remove(*, session: ExchangeSession) -> None:
    """The session is over: its files go, its log stays."""
    shutil.rmtree(session_folder(session), ignore_errors=True)


def file_receive(*, session: ExchangeSession, name: str, stream, limit: int, max_total: int) -> ExchangeFile:
    """Append one posted part of a file (at most `limit` bytes, the file at most `max_total`); zips are
    unpacked when an import starts, since only then is the last part known to have come."""
    path = file_path(session, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    done = ExchangeFile.objects.filter(session=session, name=safe_name(name), imported_at__isnull=False)
    if done.exists():
        # The same name again after its import: a new file, not a part of the old one.
        path.unlink(missing_ok=True)
        done.update(size=0, parts=0, position=0, imported_at=None)
    before = path.stat().st_size if path.exists() else 0
    written = 0
    with open(path, "ab") as handle:
        while chunk := stream.read(COPY_CHUNK):
            written += len(chunk)
            if written > limit or before + written > max_total:
                handle.truncate(before)
                raise ExchangeRefused(TOO_BIG)
            handle.write(chunk)
    record, _ = ExchangeFile.objects.get_or_create(session=session, name=safe_name(name))
    ExchangeFile.objects.filter(pk=record.pk).update(size=before + written, parts=F("parts") + 1)
    record.refresh_from_db()
    return record


def zips_unpack(*, session: ExchangeSession, max_bytes: int) -> list[str]:
    """Unpack every zip of the folder into it (pictures under import_files/, XML files); the names unpacked."""
    unpacked = []
    folder = session_folder(session)
    for archive in sorted(folder.glob("*.zip")):
        try:
            with zipfile.ZipFile(archive) as bundle:
                members = [m for m in bundle.infolist() if not m.is_dir()]
                if sum(m.file_size for m in members) > max_bytes:
                    raise ExchangeRefused(TOO_BIG)
                for member in members:
                    target = file_path(session, member.filename)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with bundle.open(member) as source, open(target, "wb") as out:
                        copied = 0
                        while chunk := source.read(COPY_CHUNK):
                            copied += len(chunk)
                            if copied > member.file_size:
                                raise ExchangeRefused(BAD_ZIP)
                            out.write(chunk)
                    unpacked.append(safe_name(member.filename))
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise ExchangeRefused(BAD_ZIP) from error
        archive.unlink()
    return unpacked
