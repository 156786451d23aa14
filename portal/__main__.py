"""`python -m portal --out DIR`: build the site from the registry named by TSUNAGU_* settings.

The gateway's background rebuilder runs this as a child process (the public door is
`tsunagu portal build`). Exit 0 and one JSON line on success; exit 1 and one line on stderr
when the build fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from portal.build import PortalBuildError, build_from_settings
from registry.errors import RegistryError
from registry.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        result = build_from_settings(load_settings(), args.out)
    except (PortalBuildError, RegistryError) as exc:
        print(f"portal build failed: {exc}", file=sys.stderr)
        return 1
    print(
        json.dumps(
            {
                "site": str(result.site_dir),
                "pages": result.pages,
                "seconds": round(result.seconds, 2),
                "change_id": result.change_id,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
