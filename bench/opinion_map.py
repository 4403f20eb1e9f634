"""Benchmark: recomputing an opinion map for 1,000 participants × 200 statements (issue 15,
"Speed": at most 1 s on this machine).

    .venv/bin/python bench/opinion_map.py [--participants 1000] [--statements 200] [--runs 5]

Votes come from three random camps (opinions.synthetic: each person sees 60 % of the
statements, 15 % of votes go against their camp), about 120,000 votes in all. Each run times
`opinions.opinion_map.compute` from the vote triples to the finished map (matrix, PCA, k-means
for k = 2..5 with silhouettes, representative statements, common ground), the previous run's
assignment given for stable labels as the pages do. Pure numpy: no database, no Django.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# opinion_map first: it chooses numpy's BLAS threads before numpy loads.
from opinions import opinion_map  # noqa: E402
from opinions.synthetic import planted_votes  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import numpy as np  # after opinion_map, as above

    rng = np.random.default_rng(15)
    stances = rng.choice([-1, 0, 1], size=(3, args.statements), p=[0.4, 0.2, 0.4])
    stances[:, : args.statements // 20] = 1  # some common ground
    sizes = [args.participants // 2, args.participants // 3]
    sizes.append(args.participants - sum(sizes))
    votes = planted_votes(stances.tolist(), sizes, seen=0.6, noise=0.15, seed=15)
    print(f"{args.participants} participants × {args.statements} statements, {len(votes)} votes")

    previous = None
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = opinion_map.compute(votes, previous=previous)
        times.append(time.perf_counter() - start)
        previous = result.assignment
    print(
        f"groups {[g.size for g in result.groups]}, not shown {result.not_shown}, "
        f"common ground {len(result.common_ground)}, divisive {len(result.divisive)}"
    )
    print(
        f"compute: median {statistics.median(times):.3f} s, "
        f"min {min(times):.3f} s, max {max(times):.3f} s over {args.runs} runs"
    )


if __name__ == "__main__":
    main()
