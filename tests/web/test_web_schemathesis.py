"""schemathesis with every check (--checks all) against a real server, authenticated with a personal
access token: no 5xx, every status, content type and body as documented, schema-valid requests accepted
and schema-violating ones refused, Allow headers that list every method, created resources found."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from serving import RUN, env_for, served, setup_account

CONFIG = Path(__file__).with_name("schemathesis.toml")
ST = Path(sys.executable).with_name("st")


def test_the_api_passes_every_schemathesis_check_over_a_thousand_cases(sqlite_url, tmp_path):
    env = env_for(sqlite_url, tmp_path)
    subprocess.run([*RUN, "demo"], env=env, check=True, capture_output=True, timeout=120)
    token = setup_account(env)
    with served(env) as base:
        run = subprocess.run([str(ST), "--config-file", str(CONFIG), "run", f"{base}/api/v1/openapi.json",
                              "-H", f"Authorization: Bearer {token}", "--checks", "all",
                              "--max-examples", "30", "--seed", "1", "--no-color"],
                             capture_output=True, text=True, timeout=600, env=env,
                             cwd=tmp_path)  # its cache of crashes stays out of the checkout
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-6000:]
    generated = int(re.search(r"(\d+) generated", out).group(1))
    assert generated >= 1000, out[-2000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", out)
    tested = re.search(r"Tested: (\d+)", out)
    assert selected and tested and int(tested.group(1)) == int(selected.group(2)) >= 20, out[-2000:]
    print(f"schemathesis: {generated} cases")
