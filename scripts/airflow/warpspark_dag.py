"""An example Airflow DAG: registers a day's pairs with warpspark on a Spark cluster.

A sensor waits for the day's manifest, then the job runs. The run id is text made from the day
(``day-20261122``): from the logical date, or, for a run without one (Airflow 3 manual and asset
runs), from when the run was due, so the template always renders. A retry (or a cleared task) writes
the same run's partition again; ``--resume`` keeps the pairs an earlier try finished and registers only
the rest. Exit codes say what a retry can fix: 1 (more pairs failed than allowed) and 3 (a crash) are
retried; 2 (bad input or settings, said in one line) fails at once, as a retry would fail the same way.
One run of the DAG at a time, each within its ``execution_timeout``.

Cluster sizing lives in the Spark connection and ``conf``, the job's own arguments in
``application_args`` (as ``scripts/submit.sh`` separates them). S3 credentials come from the
executors' environment or instance role, never from the arguments.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = "/opt/warpspark/warpspark-spark-job-0.1.0-SNAPSHOT-all.jar"
BUCKET = "imaging"
# The day a run registers: its logical date, else when it was due (Airflow 3 runs may have no logical date).
DAY = "{{ (dag_run.logical_date or dag_run.run_after).strftime('%Y-%m-%d') }}"
RUN_ID = "day-{{ (dag_run.logical_date or dag_run.run_after).strftime('%Y%m%d') }}"
BAD_INPUT = 2


class WarpsparkSubmitOperator(SparkSubmitOperator):
    """spark-submit that fails without retries when the job says its input or settings are bad (exit 2)."""

    def execute(self, context):
        try:
            return super().execute(context)
        except AirflowException as e:
            if f"Error code is: {BAD_INPUT}." in str(e):
                raise AirflowFailException(f"warpspark refused its input or settings (exit {BAD_INPUT}): {e}") from e
            raise


with DAG(
    dag_id="warpspark_daily_registration",
    start_date=datetime(2026, 11, 1),
    schedule="@daily",
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["imaging", "registration"],
) as dag:
    manifest = S3KeySensor(
        task_id="wait_for_manifest",
        bucket_name=BUCKET,
        bucket_key=f"manifests/{DAY}.csv",
        mode="reschedule",
        poke_interval=600,
        timeout=timedelta(hours=12).total_seconds(),
    )
    register = WarpsparkSubmitOperator(
        task_id="register_pairs",
        conn_id="spark_gpu_cluster",
        application=JAR,
        java_class="org.warpspark.cli.WarpsparkCli",
        # the driver runs here, so spark-submit's exit code is the job's (1, 2, 3) for the retry rule above
        deploy_mode="client",
        execution_timeout=timedelta(hours=12),
        conf={
            "spark.executor.resource.gpu.amount": "1",
            "spark.executor.resource.gpu.discoveryScript": "/opt/warpspark/conf/gpu-discovery.sh",
            "spark.executorEnv.OMP_WAIT_POLICY": "PASSIVE",
            # libtorch is unpacked once per machine into this folder, not once per executor
            "spark.executorEnv.ENGINE_CACHE_DIR": "/var/cache/warpspark/djl",
            # installed on every node with the jar (a --files copy arrives after the executor's logging starts)
            "spark.executor.extraJavaOptions": "-Dlog4j2.configurationFile=/opt/warpspark/conf/log4j2-executor.properties",
        },
        application_args=[
            "run",
            "--manifest", f"s3a://{BUCKET}/manifests/{DAY}.csv",
            "--out", f"s3a://{BUCKET}/warpspark-tables",
            "--run-id", RUN_ID,
            "--resume",
            "--task-gpus", "1",
            "--max-failed-fraction", "0.05",
            "--quiet",
        ],
    )
    manifest >> register
