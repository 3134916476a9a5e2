"""Preprocessing: a scikit-learn pipeline from typed columns to a model matrix.

Numeric columns are imputed (median) and scaled; categorical ones are imputed
(most frequent) and one-hot encoded with rare categories pooled, so a column
with thousands of values cannot blow up into thousands of dense columns. The
result stays sparse when it is mostly zeros.
"""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# At most this many one-hot columns per categorical column (rarer values are
# pooled into one "infrequent" column).
MAX_CATEGORIES = 20
# Output is sparse when its density is below this share.
SPARSE_THRESHOLD = 0.3


def build_preprocessor(numeric: Sequence[str], categorical: Sequence[str],
                       dense: bool = False) -> ColumnTransformer:
    """Return an unfitted transformer for the given feature columns.

    Parameters
    ----------
    numeric, categorical : sequence of str
        Column names by type.
    dense : bool
        Force a dense output (for models that cannot take sparse input).

    Returns
    -------
    ColumnTransformer
        Fit it on the unlabeled pool's features.
    """
    parts = []
    if numeric:
        parts.append(("num", make_pipeline(SimpleImputer(strategy="median",
                                                         keep_empty_features=True),
                                           StandardScaler()), list(numeric)))
    if categorical:
        parts.append(("cat", make_pipeline(
            SimpleImputer(strategy="most_frequent", keep_empty_features=True),
            OneHotEncoder(handle_unknown="infrequent_if_exist", max_categories=MAX_CATEGORIES,
                          sparse_output=not dense),
        ), list(categorical)))
    return ColumnTransformer(parts, sparse_threshold=0.0 if dense else SPARSE_THRESHOLD,
                             verbose_feature_names_out=False)
