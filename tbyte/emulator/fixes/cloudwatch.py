"""CloudWatch: where moto differs from AWS."""

import math
import re

from moto.cloudwatch.models import Statistics

PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d+)?)$")


def percentile_statistics() -> None:
    """GetMetricData and GetMetricStatistics answer percentile statistics (p50, p95, p99.9...) of the values put.

    moto answers only Sum, Average, Minimum, Maximum and SampleCount, and nothing for a percentile, which is how
    latency is read (an ALB's TargetResponseTime p95). The percentile is the nearest-rank one of the single values
    of the period (values put as statistic sets have no distribution and are not counted).
    """
    original = Statistics.get_statistics_for_type

    def get_statistics_for_type(self, stat):
        match = PERCENTILE.match(str(stat))
        if not match:
            return original(self, stat)
        values = sorted(self.metric_single_values_list)
        if not values:
            return None
        rank = max(1, math.ceil(float(match.group(1)) / 100 * len(values)))
        return values[rank - 1]

    Statistics.get_statistics_for_type = get_statistics_for_type


def apply() -> None:
    percentile_statistics()
