"""Course code (read it, do not edit it): the gateway's backends over real boto3 clients.

The previous exercises, condensed: Comprehend for sentiment, a SageMaker endpoint for the
custom model, Transcribe for jobs. Each AWS error becomes one of the gateway's exceptions, so
that `ai1_gateway` decides the HTTP status without knowing botocore. Production code would use
the full versions (batches, backoff, redaction); the tests use this one with stubbed clients.
"""

import hashlib
import json

from botocore.exceptions import ClientError, ConnectTimeoutError, ReadTimeoutError

from ai1_gateway import IdempotencyConflict, ModelFailed, ModelTimeout, TranscriptionFailed, Unavailable

BUSY = {"ThrottlingException", "TooManyRequestsException", "LimitExceededException",
        "ServiceUnavailable", "ModelNotReadyException"}
RETRY_AFTER = 5


def code_of(err):
    return err.response["Error"]["Code"]


class AwsBackends:
    def __init__(self, comprehend, runtime, transcribe, *, endpoint="reviews-sentiment-v3"):
        self.comprehend = comprehend
        self.runtime = runtime
        self.transcribe = transcribe
        self.endpoint = endpoint

    def sentiment(self, texts, language):
        try:
            answer = self.comprehend.batch_detect_sentiment(TextList=texts, LanguageCode=language)
        except ClientError as err:
            if code_of(err) in BUSY:
                raise Unavailable(RETRY_AFTER) from err
            raise
        results = [{"error": "InternalServerException"} for _ in texts]
        for item in answer["ResultList"]:
            results[item["Index"]] = {"Sentiment": item["Sentiment"], "SentimentScore": item["SentimentScore"]}
        for item in answer["ErrorList"]:
            results[item["Index"]] = {"error": item["ErrorCode"]}
        return results

    def classify(self, text):
        try:
            answer = self.runtime.invoke_endpoint(
                EndpointName=self.endpoint,
                ContentType="application/json",
                Accept="application/json",
                Body=json.dumps({"inputs": text}).encode("utf-8"),
            )
            first = json.loads(answer["Body"].read())[0]
            return {"label": first["label"], "score": first["score"]}
        except ClientError as err:
            if code_of(err) in BUSY:
                raise Unavailable(RETRY_AFTER) from err
            raise ModelFailed(code_of(err)) from err
        except (ReadTimeoutError, ConnectTimeoutError) as err:
            raise ModelTimeout("no answer in time") from err
        except (ValueError, LookupError, TypeError) as err:
            raise ModelFailed("not a prediction") from err

    def start_transcription(self, key, media_uri, language):
        name = "tx-" + hashlib.sha256(key.encode("utf-8")).hexdigest()
        try:
            self.transcribe.start_transcription_job(
                TranscriptionJobName=name, Media={"MediaFileUri": media_uri}, LanguageCode=language
            )
        except ClientError as err:
            if code_of(err) in BUSY:
                raise Unavailable(RETRY_AFTER) from err
            if code_of(err) != "ConflictException":
                raise
            job = self.transcribe.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"]
            if job["Media"]["MediaFileUri"] != media_uri or job.get("LanguageCode") != language:
                raise IdempotencyConflict(name) from err
        return name

    def wait_transcription(self, job_id):
        # One look, for the tests; `transcribe1_jobs.Transcriber.wait` polls with backoff.
        job = self.transcribe.get_transcription_job(TranscriptionJobName=job_id)["TranscriptionJob"]
        if job["TranscriptionJobStatus"] == "COMPLETED":
            return job["Transcript"]["TranscriptFileUri"]
        raise TranscriptionFailed(job.get("FailureReason", "not done in time"))
