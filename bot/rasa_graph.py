"""Rasa's graph runner works out, on every message and every policy prediction, which nodes the
targets need and builds a new dask graph from them, and formats its inputs (the whole tracker) into a
debug message that is then dropped. Here the graph for a set of targets is built once and copied, and
the message is formatted only when debug logging is on (issue 16). The graph is run as Rasa runs it.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

import dask
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner import dask as rasa_dask
from rasa.engine.runner.dask import DaskGraphRunner

logger = logging.getLogger(rasa_dask.__name__)
BUILT = "_built_for_targets"   # kept on the runner: a model loaded later gets a runner of its own


def run(self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None,
        targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
    run_targets = targets if targets else self._graph_schema.target_names
    cache = self.__dict__.setdefault(BUILT, {})
    built = cache.get(tuple(run_targets))
    if built is None:
        built = cache[tuple(run_targets)] = self._build_dask_graph(self._graph_schema.minimal_graph_schema(run_targets))
    run_graph = dict(built)
    if inputs:
        self._add_inputs_to_graph(inputs, run_graph)
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(f"Running graph with inputs: {inputs}, targets: {targets} and {self._execution_context}.")
    try:
        return dict(dask.get(run_graph, run_targets))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e


def install() -> None:
    DaskGraphRunner.run = run
