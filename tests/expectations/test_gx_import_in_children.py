"""Great Expectations imports pyspark.sql.connect when pyspark is installed (the spark extra).

Without pyspark's gRPC packages, that import takes a `python -c` process (or any child whose
``__main__`` has no file, like some spawned workers) for a doctest run and calls ``sys.exit(0)``:
the check would vanish with exit code 0. The spark extra pins ``pyspark[connect]`` for this.
"""

import subprocess
import sys


def test_importing_great_expectations_from_python_c_does_not_exit_silently():
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c",
         "import great_expectations; print('imported')"],
        capture_output=True, text=True, timeout=300,
        env={"GX_ANALYTICS_ENABLED": "false", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("imported"), done.stderr[-2000:]
