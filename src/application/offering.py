"""The default offering: every function offered to the model exactly as it is stored."""

from __future__ import annotations

from application.ports.offering import OfferedFunction, SchemaOffering
from domain.schema.function_schema import FunctionSchema


class OfferAsStored(SchemaOffering):
    """Offers each function's stored schema, and passes the arguments back unchanged.

    For models that take every stored schema as it is; a model adapter that must
    rewrite schemas implements ``SchemaOffering`` with its own decoders.
    """

    def offer(self, function: FunctionSchema) -> OfferedFunction:
        """Offer ``function`` as stored."""
        return OfferedFunction(function)
