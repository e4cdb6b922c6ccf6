"""Every benchmark, one after the other, each figure beside its floor:

    python -m tests.benchmarks            # everything, ending with the speed issue's table
    python -m tests.benchmarks targets    # only that table (bench_targets, ~5 minutes)

(first the sandbox's kept-alive latency beside a fresh connection's, so a stall in the server
cannot hide inside the loopback floors that follow; then the list at 1,000 / 10,000 / 100,000
campaigns and start-up; marks at 100,000; loading through the client and memory; the list's
full load and keys typed while pages stream; bytes written to a pty and keystroke latency; the
report and the history; a bulk edit of 100 campaigns at the sandbox's default rate limit; the
window a checked write leaves between its GET's answer and its PATCH under `--rate-limit 4`).
Takes about twenty-five minutes on two cores.
`bench_server.stall_check(url)` gives the same check as one line for beside any other loopback
floor.
"""

import sys

from tests.benchmarks import (
    bench_bulk,
    bench_list,
    bench_load,
    bench_marks,
    bench_report,
    bench_server,
    bench_stream,
    bench_targets,
    bench_terminal,
    bench_writes,
)

if __name__ == "__main__" and sys.argv[1:] == ["targets"]:
    bench_targets.main([])
elif __name__ == "__main__":
    sys.argv[1:] = []  # each module reads its own arguments
    bench_server.main()
    bench_list.main()
    bench_marks.main()
    bench_load.main()
    bench_stream.main()
    bench_terminal.main()
    bench_report.main(100_000)
    bench_bulk.main([])
    bench_writes.main([])
    bench_targets.main([])
