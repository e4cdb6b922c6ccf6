"""Every benchmark, one after the other, each figure beside its floor:

    python -m tests.benchmarks

(the list at 1,000 / 10,000 / 100,000 campaigns and start-up; loading through the client and
memory; bytes written to a pty). Takes about ten minutes on two cores.
"""

from tests.benchmarks import bench_list, bench_load, bench_terminal

if __name__ == "__main__":
    bench_list.main()
    bench_load.main()
    bench_terminal.main()
