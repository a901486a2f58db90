"""Classifier heads over the shared TF-IDF features.

`LinearHead` is a one-vs-rest linear SVM whose scores become probabilities through a
calibration fitted on held-out rows (a temperature and a bias per class). With several
source domains (student feedback, product reviews, social media, staff/citizen answers) it
learns "frustratingly easy" domain-augmented weights (Daumé III, 2007): a shared weight
vector plus one per domain, trained on features copied into the row's own domain block. At
inference the domain is not given: a small logistic domain classifier on the same features
gives a posterior P, and the scores are shared + Σ_d P_d · domain_d, so each answer borrows
from the domains it resembles. All of this is one sparse × dense product per batch.
"""

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

SEED = 13


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def augment(X, domain_weights: np.ndarray):
    """[X, P_1·X, …, P_K·X]: the row's features copied into each domain block, scaled by
    how much the row belongs to that domain (one-hot when training)."""
    blocks = [X] + [sp.diags(domain_weights[:, k].astype(np.float32)) @ X for k in range(domain_weights.shape[1])]
    return sp.hstack(blocks, format="csr")


class LinearHead:
    """Linear SVM scores → calibrated class probabilities, optionally domain-aware."""

    def __init__(self, C: float = 0.5, domain_C: float = 10.0):
        self.C = C
        self.domain_C = domain_C

    def fit(self, X, y, sample_weight=None, domains=None) -> "LinearHead":
        y = np.asarray(y)
        self.classes_ = sorted(set(y.tolist()))
        self.domains_ = sorted(set(domains)) if domains is not None else []
        if len(self.domains_) > 1:
            d = np.array([self.domains_.index(x) for x in domains])
            domain_model = LogisticRegression(C=self.domain_C, max_iter=3000, random_state=SEED)
            domain_model.fit(X, d, sample_weight=sample_weight)
            self.domain_coef_ = domain_model.coef_.T.astype(np.float32)
            self.domain_intercept_ = domain_model.intercept_
            Xa = augment(X, np.eye(len(self.domains_))[d])
        else:
            self.domains_ = []
            Xa = X
        svm = LinearSVC(C=self.C, random_state=SEED, max_iter=5000)
        svm.fit(Xa, y, sample_weight=sample_weight)
        coef = svm.coef_ if len(self.classes_) > 2 else np.vstack([-svm.coef_, svm.coef_])
        intercept = svm.intercept_ if len(self.classes_) > 2 else np.array([-svm.intercept_[0], svm.intercept_[0]])
        n_features = X.shape[1]
        # Columns: shared block, then one block per domain, each n_classes wide.
        self.coef_ = np.hstack(
            [coef[:, b * n_features : (b + 1) * n_features].T for b in range(1 + len(self.domains_))]
        ).astype(np.float32)
        self.intercept_ = intercept
        self.scale_ = 1.0
        self.bias_ = np.zeros((max(1, len(self.domains_)), len(self.classes_)))
        return self

    # Weights are stored as float16: half the bytes to read and unzip at load time (a goal),
    # and scores change by less than 0.1 % (relative); they are float32 again in memory.
    _HALF = ("coef_", "domain_coef_")

    def __getstate__(self):
        return {k: (v.astype(np.float16) if k in self._HALF else v) for k, v in self.__dict__.items()}

    def __setstate__(self, state):
        self.__dict__.update({k: (v.astype(np.float32) if k in self._HALF else v) for k, v in state.items()})

    def domain_posterior(self, X) -> np.ndarray:
        if not self.domains_:
            return np.ones((X.shape[0], 1))
        return softmax(np.asarray(X @ self.domain_coef_) + self.domain_intercept_)

    def domain_share(self, X, domain: str) -> np.ndarray:
        """Each row's posterior of one source domain (1 when the head knows no domains)."""
        if domain not in self.domains_:
            return np.ones(X.shape[0])
        return self.domain_posterior(X)[:, self.domains_.index(domain)]

    def scores(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Uncalibrated per-class scores and the domain posterior."""
        P = self.domain_posterior(X)
        S = np.asarray(X @ self.coef_)
        n = len(self.classes_)
        out = S[:, :n] + self.intercept_
        for k in range(len(self.domains_)):
            out += P[:, k : k + 1] * S[:, (k + 1) * n : (k + 2) * n]
        return out, P

    def predict_proba(self, X) -> np.ndarray:
        S, P = self.scores(X)
        return softmax(self.scale_ * S + P @ self.bias_)

    def predict(self, X) -> np.ndarray:
        return np.asarray(self.classes_)[self.predict_proba(X).argmax(axis=1)]

    def calibrate(self, X, y) -> "LinearHead":
        """Fit the temperature and the per-domain class biases by log-loss on held-out
        rows (rows the SVM was not trained on)."""
        S, P = self.scores(X)
        target = np.array([self.classes_.index(v) for v in y])
        shape = self.bias_.shape

        def loss(params):
            scale, bias = params[0], params[1:].reshape(shape)
            proba = softmax(scale * S + P @ bias)
            return -np.log(proba[np.arange(len(target)), target] + 1e-12).mean() + 1e-3 * (bias**2).sum()

        start = np.concatenate([[1.0], np.zeros(self.bias_.size)])
        best = minimize(loss, start, method="L-BFGS-B")
        self.scale_ = float(best.x[0])
        self.bias_ = best.x[1:].reshape(shape)
        return self
