from concurrent.futures import ThreadPoolExecutor

from tbyte.core import hcl, paths


def test_parsing_in_parallel_threads_gives_the_same_result_as_alone():
    # python-hcl2 shares one parser; stacks are planned in parallel threads, which read HCL too.
    files = sorted(paths.MODULES.rglob("*.tf"))[:12]
    alone = {path: hcl.load(path) for path in files}
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda i: (files[i % len(files)], hcl.load(files[i % len(files)])), range(96)))
    assert all(document == alone[path] for path, document in parallel)
