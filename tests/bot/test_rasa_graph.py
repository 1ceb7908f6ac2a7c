from typing import Any, Dict

from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from bot import rasa_graph


class AddOne(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage, resource, execution_context) -> "AddOne":
        return cls()

    def add(self, i: int) -> int:
        return i + 1


def runner(tmp_path) -> DaskGraphRunner:
    def node(needs: str, target: bool = False) -> SchemaNode:
        return SchemaNode(needs={"i": needs}, uses=AddOne, fn="add", constructor_name="create", config={},
                          is_target=target)
    schema = GraphSchema({"first": node("__number__"), "second": node("first", target=True), "other": node("__number__")})
    return DaskGraphRunner(schema, LocalModelStorage(tmp_path), ExecutionContext(schema, "test"))


def test_a_graph_built_once_gives_what_rasa_gives_for_every_input_and_target(tmp_path):
    graph = runner(tmp_path)
    for number in (1, 5, 1):
        for targets in (None, ["first"], ["second"], ["other", "second"]):
            expected = DaskGraphRunner.run(graph, {"__number__": number}, targets)
            assert rasa_graph.run(graph, {"__number__": number}, targets) == expected
    assert rasa_graph.run(graph, {"__number__": 10}, ["second"]) == {"second": 12}


def test_another_runner_has_its_own_graphs(tmp_path):
    one, two = runner(tmp_path / "one"), runner(tmp_path / "two")
    rasa_graph.run(one, {"__number__": 1}, ["second"])
    assert getattr(two, rasa_graph.BUILT, {}) == {}
    assert rasa_graph.run(two, {"__number__": 2}, ["second"]) == {"second": 4}
