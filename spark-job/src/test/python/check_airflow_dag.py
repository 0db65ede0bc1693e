"""Loads the example Airflow DAG against a minimal stand-in of the Airflow API it uses (Airflow itself
cannot be installed here) and checks what the DAG promises: one run at a time, a sensor before the job,
a time limit, a text run id that renders with and without a logical date, and exit code 2 failing the
task without retries while 1 and 3 stay retryable. Exits non-zero, naming the first broken promise.

Usage: python3 check_airflow_dag.py scripts/airflow/warpspark_dag.py
"""
import datetime
import importlib.util
import sys
import types

import jinja2


class AirflowException(Exception):
    pass


class AirflowFailException(AirflowException):
    pass


class Task:
    def __init__(self, task_id, **kwargs):
        self.task_id = task_id
        self.kwargs = kwargs
        self.downstream = []
        DAG.current.tasks.append(self)

    def __rshift__(self, other):
        self.downstream.append(other)
        return other


class DAG:
    current = None

    def __init__(self, dag_id, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.tasks = []

    def __enter__(self):
        DAG.current = self
        return self

    def __exit__(self, *exc):
        DAG.current = None


class SparkSubmitOperator(Task):
    """As the provider's operator: a non-zero spark-submit exit becomes this AirflowException."""
    exit_code = 0

    def execute(self, context):
        if SparkSubmitOperator.exit_code:
            raise AirflowException(f"Cannot execute: spark-submit ... Error code is: {SparkSubmitOperator.exit_code}.")
        return "done"


def stub(name, **attributes):
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module


stub("airflow", DAG=DAG)
stub("airflow.exceptions", AirflowException=AirflowException, AirflowFailException=AirflowFailException)
stub("airflow.providers.amazon.aws.sensors.s3", S3KeySensor=type("S3KeySensor", (Task,), {}))
stub("airflow.providers.apache.spark.operators.spark_submit", SparkSubmitOperator=SparkSubmitOperator)


def check(condition, promise):
    if not condition:
        sys.exit("the DAG breaks its promise: " + promise)


spec = importlib.util.spec_from_file_location("warpspark_dag", sys.argv[1])
dag_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dag_module)
dag = dag_module.dag
tasks = {t.task_id: t for t in dag.tasks}
sensor, register = tasks["wait_for_manifest"], tasks["register_pairs"]

check(dag.kwargs.get("max_active_runs") == 1, "one run at a time (max_active_runs=1)")
check(register in sensor.downstream, "the job waits for the manifest's sensor")
check(sensor.kwargs.get("mode") == "reschedule", "the sensor frees its worker slot while it waits")
check(isinstance(register.kwargs.get("execution_timeout"), datetime.timedelta), "the job has an execution_timeout")
conf = register.kwargs["conf"]
check("spark.executorEnv.ENGINE_CACHE_DIR" in conf, "executors share an engine cache (ENGINE_CACHE_DIR)")
check("log4j2-executor.properties" in conf.get("spark.executor.extraJavaOptions", ""),
      "executors log with the project's config")
check(register.kwargs.get("deploy_mode") == "client", "the job's exit code reaches Airflow (client deploy mode)")
args = register.kwargs["application_args"]
check("--resume" in args and "--quiet" in args, "retries resume, and the log keeps only the final line")


def render(template, logical_date, run_after):
    run = types.SimpleNamespace(logical_date=logical_date, run_after=run_after)
    # as strict as Airflow's own environment: an undefined name is an error, not an empty text
    return jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(template).render(dag_run=run)


run_id = args[args.index("--run-id") + 1]
day = datetime.datetime(2026, 11, 22, 0, 0)
due = datetime.datetime(2026, 11, 23, 8, 30)
check(render(run_id, day, due) == "day-20261122", "the run id is the logical date's day, as text")
check(render(run_id, None, due) == "day-20261123", "a run without a logical date still gets a run id")
manifest = args[args.index("--manifest") + 1]
check(render(manifest, day, due) == "s3a://imaging/manifests/2026-11-22.csv", "the manifest is the day's")
check(render(sensor.kwargs["bucket_key"], None, due) == "manifests/2026-11-23.csv",
      "the sensor waits for the same manifest the job reads")

for code, retried in ((1, True), (2, False), (3, True)):
    SparkSubmitOperator.exit_code = code
    try:
        register.execute({})
        check(False, f"exit code {code} fails the task")
    except AirflowFailException:
        check(not retried, f"exit code {code} is retried")
    except AirflowException:
        check(retried, f"exit code {code} (bad input) fails at once, without retries")
SparkSubmitOperator.exit_code = 0
check(register.execute({}) == "done", "a run that succeeds succeeds")
print("the DAG keeps its promises")
