"""Airflow DAG: prove each day's new inference requests with zkspark's pipeline (example).

Copy into your Airflow dags/ folder and set the Airflow Variables below (or edit the defaults).
Each daily run proves the requests of its logical date that have no proof yet; the pipeline is
idempotent (anti-join on request id, atomic run directories), so retries and backfills are safe.
Then verify-job checks every proof of the run with the standalone verifier logic.

The run id is the logical date: a retry after a failed or killed attempt reuses it (a killed run
leaves only a hidden staging directory, which the next attempt removes); a day whose run completed
is not re-run under the same id (the pipeline refuses an existing run directory).
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator

ZKSPARK_HOME = Variable.get("zkspark_home", default_var="/opt/zkspark")
MASTER = Variable.get("zkspark_master", default_var="spark://127.0.0.1:7077")
COMMITMENT = Variable.get("zkspark_commitment", default_var="/data/zkspark/model.commit")
MODEL = Variable.get("zkspark_model", default_var="/data/zkspark/model")
REQUESTS = Variable.get("zkspark_requests", default_var="/data/requests")  # date=YYYY-MM-DD/ partitions
PROOFS = Variable.get("zkspark_proofs", default_var="/data/proofs")

with DAG(
    dag_id="zkspark_daily_proofs",
    start_date=datetime(2026, 12, 1),
    schedule="30 1 * * *",
    catchup=False,
    max_active_runs=1,  # one pipeline at a time per output directory
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["zkspark"],
) as dag:
    prove = BashOperator(
        task_id="prove_new_requests",
        cwd=ZKSPARK_HOME,
        bash_command=(
            f"bin/zkspark-submit --master {MASTER} pipeline --commitment {COMMITMENT} --model {MODEL} "
            f"--input {REQUESTS} --output {PROOFS} --date {{{{ ds }}}} --run-id {{{{ ds_nodash }}}}"
        ),
    )
    verify = BashOperator(
        task_id="verify_run",
        cwd=ZKSPARK_HOME,
        bash_command=(
            f"bin/zkspark-submit --master {MASTER} verify-job --commitment {COMMITMENT} "
            f"--proofs {PROOFS}/runs/{{{{ ds_nodash }}}} "
            f"--out {PROOFS}/verdicts/{{{{ ds_nodash }}}}-{{{{ ts_nodash }}}}"
        ),
    )
    prove >> verify
