# Two commands for users: `make run` starts everything, `make test` runs every test.
PY := .venv/bin/python
RASA := .venv/bin/rasa
MODEL := models/hotline.tar.gz
TRAINING_INPUTS := config.yml domain.yml $(shell find nlu_data bot/nlu bot/scam bot/policies -type f ! -name '*.pyc' 2>/dev/null | sort)
# The list of inputs, rewritten only when a file is added or removed: a deleted data file retrains too.
INPUT_LIST := models/.training-inputs
$(shell mkdir -p models; echo '$(TRAINING_INPUTS)' | cmp -s - $(INPUT_LIST) || echo '$(TRAINING_INPUTS)' > $(INPUT_LIST))

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: run test bench setup setup-system train clean

run: setup $(MODEL)
	$(PY) -m bot.run

test: setup-system $(MODEL)
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks against the real running system; prints a table and writes bench/results.json.
bench: setup $(MODEL)
	$(PY) -m bench.run $(BENCH_ARGS)

setup:
	@scripts/setup

setup-system:
	@scripts/setup --system

train: setup $(MODEL)

# Rasa skips training itself when its fingerprint of data, config and domain is unchanged.
$(MODEL): $(TRAINING_INPUTS) $(INPUT_LIST) | setup
	$(RASA) train --data nlu_data --config config.yml --domain domain.yml \
		--out models --fixed-model-name hotline --num-threads 2
	@touch $@

clean:
	rm -rf models var .pytest_cache
