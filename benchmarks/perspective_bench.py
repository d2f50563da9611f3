"""Perspective's comments:analyze with span annotations on the worst text for them, in process (no server, no wrk)."""
from __future__ import annotations

import statistics
import time

from benchmarks import database
from benchmarks.measure import Figure
from benchmarks.settings import Settings

# Every word is a piece of evidence, so every attribute answers a span per word: the most span work a text can ask.
ABUSIVE = "idiot, "
CALLS_PER_REPEAT = 10
MS = 1e3  # seconds → milliseconds


def run(settings: Settings) -> list[Figure]:
    """Every attribute with spanAnnotations on a text of the policy's max_length, beside the same request without
    spans, and beside a quarter of the text: linear work costs about 4× for 4× the text, quadratic 16×."""
    from moderation.api.perspective_scores import ATTRIBUTES
    from moderation.policy import current_policy

    app = database.bench_app(database.fresh_sqlite_url())
    secret = database.create_api_key(app)
    client = app.test_client()
    with app.app_context():
        limit = current_policy().max_length
    attributes = {name: {} for name in ATTRIBUTES}

    def analyze(size: int, spans: bool) -> float:
        """Median seconds of one request over CALLS_PER_REPEAT calls."""
        body = {"comment": {"text": (ABUSIVE * limit)[:size]}, "requestedAttributes": attributes,
                "spanAnnotations": spans}
        elapsed = []
        for _ in range(CALLS_PER_REPEAT):
            start = time.perf_counter()
            response = client.post(f"/v1alpha1/comments:analyze?key={secret}", json=body)
            elapsed.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise RuntimeError(f"comments:analyze answered {response.status_code}: {response.get_data(as_text=True)}")
        return statistics.median(elapsed)

    analyze(limit, True)  # the first call compiles the word lists
    runs: dict[tuple[int, bool], list[float]] = {(limit, True): [], (limit, False): [], (limit // 4, True): []}
    for _ in range(settings.repeats):
        for (size, spans), values in runs.items():
            values.append(analyze(size, spans) * MS)
    label = f"comments:analyze, {len(ATTRIBUTES)} attributes, spanAnnotations, {limit:,} chars of {ABUSIVE.strip()!r}"
    growth = Figure("perspective", label, "ms", runs[(limit, True)],
                    f"the same at {limit // 4:,} chars", runs[(limit // 4, True)],
                    target="≤5× for 4× the text (linear)")
    growth.check(lambda f: 1 / f.ratio <= 5)
    return [
        Figure("perspective", label, "ms", runs[(limit, True)], "the same without spanAnnotations", runs[(limit, False)]),
        growth,
    ]
