"""An example Airflow DAG: registers a day's pairs with warpspark on a Spark cluster.

The run id is the logical date, so a retry (or a cleared task) writes the same run's partition again;
``--resume`` keeps the pairs an earlier try already finished and registers only the rest. Cluster
sizing lives in the Spark connection and ``conf``, the job's own arguments in ``application_args``
(as ``scripts/submit.sh`` separates them). S3 credentials come from the executors' environment or
instance role, never from the arguments.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = "/opt/warpspark/warpspark-spark-job-0.1.0-SNAPSHOT-all.jar"
BUCKET = "s3a://imaging"

with DAG(
    dag_id="warpspark_daily_registration",
    start_date=datetime(2026, 11, 1),
    schedule="@daily",
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["imaging", "registration"],
) as dag:
    register = SparkSubmitOperator(
        task_id="register_pairs",
        conn_id="spark_gpu_cluster",
        application=JAR,
        java_class="org.warpspark.cli.WarpsparkCli",
        conf={
            "spark.executor.resource.gpu.amount": "1",
            "spark.executor.resource.gpu.discoveryScript": "/opt/warpspark/conf/gpu-discovery.sh",
            "spark.executorEnv.OMP_WAIT_POLICY": "PASSIVE",
        },
        application_args=[
            "run",
            "--manifest", BUCKET + "/manifests/{{ ds }}.csv",
            "--out", BUCKET + "/warpspark-tables",
            "--run-id", "{{ ds_nodash }}",
            "--resume",
            "--task-gpus", "1",
            "--max-failed-fraction", "0.05",
        ],
    )
