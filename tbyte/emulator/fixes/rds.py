"""RDS: where moto differs from AWS."""

from moto.rds.models import DBInstance
from moto.rds.responses import RDSResponse


def parameter_source() -> None:
    """DescribeDBParameters tells where each value comes from, and filters on it.

    AWS returns every parameter of the group, each with `Source` (`user` for a value set through
    ModifyDBParameterGroup, `engine-default` or `system` otherwise), and only the `user` ones when asked for
    `Source=user`. moto keeps only the parameters set through ModifyDBParameterGroup, returns them without
    `Source` and ignores the filter. The AWS provider keeps only parameters that have a Source (`user`, or any
    Source for a parameter in the configuration), so it reads an empty set back and plans to set every
    parameter again, forever. Every parameter moto stores was set by the user, so it is reported as `user`.
    """
    original = RDSResponse.describe_db_parameters

    def describe_db_parameters(self):
        result = original(self)
        source = self.params.get("Source")
        parameters = [{**parameter, "Source": "user"} for parameter in result.result["Parameters"]]
        result.result["Parameters"] = parameters if source in (None, "user") else []
        return result

    RDSResponse.describe_db_parameters = describe_db_parameters


def performance_insights() -> None:
    """DB instances report their Performance Insights settings.

    AWS returns PerformanceInsightsEnabled, PerformanceInsightsKMSKeyId and PerformanceInsightsRetentionPeriod
    (7 days unless set) for an instance created or modified with EnablePerformanceInsights. moto drops these
    parameters, so the AWS provider reads Performance Insights as off and plans to turn it on, forever.
    """
    original_init = DBInstance.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.enable_performance_insights = bool(kwargs.get("enable_performance_insights"))
        self.performance_insights_kms_key_id = kwargs.get("performance_insights_kms_key_id")
        self.performance_insights_retention_period = kwargs.get("performance_insights_retention_period")

    def setting(name, default=None):
        # Stored as given (ModifyDBInstance sets the same snake_case names); reported only while PI is on.
        def get(self):
            if not getattr(self, "enable_performance_insights", False):
                return None
            value = self.__dict__.get(f"_pi_{name}")
            return default if value is None else value

        def set_(self, value):
            self.__dict__[f"_pi_{name}"] = value

        return property(get, set_)

    DBInstance.__init__ = __init__
    DBInstance.performance_insights_enabled = property(lambda self: getattr(self, "enable_performance_insights", False))
    DBInstance.performance_insights_kms_key_id = setting("kms_key_id")
    DBInstance.performance_insights_retention_period = setting("retention_period", 7)


def apply() -> None:
    parameter_source()
    performance_insights()
