"""The private storage of a bucket (STORAGES["private"] when AWS_STORAGE_BUCKET_NAME is set); boto3 loads only here."""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """A private prefix of the media bucket: objects readable by nobody, addresses signed for a minute."""

    location = "private"
    default_acl = "private"
    querystring_auth = True
    querystring_expire = 60
    file_overwrite = False
