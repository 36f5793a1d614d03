"""Where evidence photos and signatures are kept: an interface, and a local directory by default.

Another backend (an object store) only has to offer put/get/delete by key.
"""

import os
import tempfile
from pathlib import Path
from typing import Protocol


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...  # raises KeyError for an unknown key

    def delete(self, key: str) -> None: ...


class LocalStorage:
    """Files under `root`, one per key. Keys are made by the service ("<job id>/<sha256>.<ext>")."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        # Keys never come from users, but a key escaping the root would be a bug worth stopping.
        if self.root.resolve() not in path.parents:
            raise ValueError(f"storage key {key!r} leaves the storage directory")
        return path

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside it and rename: a reader never sees half a file, a crash leaves no torn one.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def storage_for(app) -> Storage:
    """The app's storage: one set on app.state.storage (tests, other backends) or the local default."""
    storage = getattr(app.state, "storage", None)
    if storage is None:
        storage = app.state.storage = LocalStorage(app.state.settings.storage_dir)
    return storage
