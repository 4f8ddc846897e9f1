"""Tests of the patient database: repository, migrations, concurrency."""
