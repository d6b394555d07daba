"""Tests of the xlsa17 loader on the real split files of ../shared/data/zsl."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import os

import numpy as np
import pytest
import scipy.io
from numpy.testing import assert_allclose, assert_array_equal

from sklearn_zsl import ClassSemantics
from sklearn_zsl.datasets import load_class_semantics, load_xlsa17

# name: (n_classes, n_seen, n_unseen, n_attributes, trainval, test_seen, test_unseen)
EXPECTED = {
    "AWA1": (50, 40, 10, 85, 19832, 4958, 5685),
    "AWA2": (50, 40, 10, 85, 23527, 5882, 7913),
    "CUB": (200, 150, 50, 312, 7057, 1764, 2967),
    "SUN": (717, 645, 72, 102, 10320, 2580, 1440),
    "APY": (32, 20, 12, 64, 5932, 1483, 7924),
}
NAMES = sorted(EXPECTED)
SPLIT_KEYS = ("trainval_loc", "test_seen_loc", "test_unseen_loc")


@pytest.fixture(scope="module")
def xlsa17_dir(shared_zsl_dir):
    path = os.path.join(shared_zsl_dir, "xlsa17")
    if not os.path.isdir(path):
        pytest.skip(f"xlsa17 split files not found at {path}")
    return path


def _raw(xlsa17_dir, name):
    return scipy.io.loadmat(os.path.join(xlsa17_dir, name, "att_splits.mat"))


def _class_names(raw):
    return [str(cell[0][0]) for cell in raw["allclasses_names"]]


def _lines(path):
    with open(path) as file:
        return [line.strip() for line in file if line.strip()]


def _real_labels(shared_zsl_dir, name, names):
    """1-based labels of every image from the original releases (CUB, AWA2)."""
    if name == "CUB":
        folder = os.path.join(shared_zsl_dir, "cub_200_2011")
        cub_names = [line.split()[1] for line in _lines(f"{folder}/classes.txt")]
        ids = [
            int(line.split()[1]) for line in _lines(f"{folder}/image_class_labels.txt")
        ]
        return np.array([names.index(cub_names[i - 1]) + 1 for i in ids])
    folder = os.path.join(shared_zsl_dir, "awa2_base")
    paths = sorted(
        line.split()[0]
        for file in ("image_label_PS.txt", "test_seen_PS.txt")
        for line in _lines(f"{folder}/{file}")
    )
    return np.array([names.index(path.split("/")[0]) + 1 for path in paths])


def _consistent_labels(xlsa17_dir, name, raw, names):
    """1-based labels matching the split: seen classes round-robin, unseen too."""
    folder = os.path.join(xlsa17_dir, name)
    seen = [names.index(c) + 1 for c in _lines(f"{folder}/trainvalclasses.txt")]
    unseen = [names.index(c) + 1 for c in _lines(f"{folder}/testclasses.txt")]
    locs = [raw[key].ravel().astype(int) - 1 for key in SPLIT_KEYS]
    labels = np.zeros(sum(loc.size for loc in locs), dtype=int)
    labels[locs[0]] = np.resize(seen, locs[0].size)
    labels[locs[1]] = np.resize(seen, locs[1].size)
    labels[locs[2]] = np.resize(unseen, locs[2].size)
    return labels


@pytest.fixture(scope="module")
def res101_files(xlsa17_dir, shared_zsl_dir, tmp_path_factory):
    """Small res101.mat files: 3 features per image, the first one its position."""
    folder = tmp_path_factory.mktemp("res101")
    files = {}
    for name in NAMES:
        raw = _raw(xlsa17_dir, name)
        names = _class_names(raw)
        if name in ("CUB", "AWA2"):
            labels = _real_labels(shared_zsl_dir, name, names)
        else:
            labels = _consistent_labels(xlsa17_dir, name, raw, names)
        positions = np.arange(labels.size)
        features = np.vstack([positions, labels, positions % 7]).astype(np.float32)
        content = {"features": features, "labels": labels.reshape(-1, 1)}
        if name == "APY":
            files_cell = np.empty((labels.size, 1), dtype=object)
            files_cell[:, 0] = [f"img_{i}.jpg" for i in positions]
            content["image_files"] = files_cell
        files[name] = folder / f"{name}_res101.mat"
        scipy.io.savemat(files[name], content)
    return files


@pytest.fixture(scope="module")
def loaded(xlsa17_dir, res101_files):
    return {
        name: load_xlsa17(xlsa17_dir, name, features=res101_files[name])
        for name in NAMES
    }


@pytest.mark.parametrize("name", NAMES)
def test_real_split_counts_and_shapes(loaded, name):
    """Check classes, seen/unseen counts, shapes and split sizes of each dataset."""
    n_classes, n_seen, n_unseen, n_att, n_tv, n_ts, n_tu = EXPECTED[name]
    data = loaded[name]
    assert data.class_semantics.dims == {"attributes": n_att}
    assert data.class_semantics.n_classes == n_classes == data.target_names.size
    assert (data.seen_classes.size, data.unseen_classes.size) == (n_seen, n_unseen)
    assert np.intersect1d(data.seen_classes, data.unseen_classes).size == 0
    sizes = [
        data[f"{part}_indices"].size
        for part in ("trainval", "test_seen", "test_unseen")
    ]
    assert sizes == [n_tv, n_ts, n_tu]
    assert data.data.shape == (n_tv + n_ts + n_tu, 3)
    assert data.data.dtype == np.float32
    assert data.target.shape == (data.data.shape[0],)
    assert not data.synthetic_features
    assert sum(data.class_counts.values()) == data.data.shape[0]
    assert "synthetic" not in data.DESCR and name in data.DESCR


@pytest.mark.parametrize("name", NAMES)
def test_indices_are_zero_based_and_disjoint(loaded, xlsa17_dir, name):
    """Check that each index is the 1-based MATLAB index minus one."""
    data, raw = loaded[name], _raw(xlsa17_dir, name)
    for key in SPLIT_KEYS:
        indices = data[key.replace("_loc", "_indices")]
        assert_array_equal(indices, raw[key].ravel().astype(int) - 1)
        # The first feature of each fake image is its 0-based position.
        assert_array_equal(data.data[indices, 0], indices)
    parts = [data.trainval_indices, data.test_seen_indices, data.test_unseen_indices]
    assert np.unique(np.concatenate(parts)).size == sum(p.size for p in parts)
    assert set(data.target[data.trainval_indices]) == set(data.seen_classes)
    assert set(data.target[data.test_seen_indices]) <= set(data.seen_classes)
    assert set(data.target[data.test_unseen_indices]) == set(data.unseen_classes)


@pytest.mark.parametrize("name", NAMES)
def test_target_names_decoded_from_nested_arrays(loaded, xlsa17_dir, name):
    """Check that MATLAB cell arrays of names become plain strings, in file order."""
    raw, data = _raw(xlsa17_dir, name), loaded[name]
    assert raw["allclasses_names"].dtype == object  # nested arrays in the file
    assert data.target_names.dtype.kind == "U"
    assert_array_equal(data.target_names, _class_names(raw))
    assert_array_equal(data.class_semantics.labels, data.target_names)
    assert_allclose(data.class_semantics.to_numpy(), raw["att"].T)
    txt = os.path.join(xlsa17_dir, name, "allclasses.txt")
    if os.path.exists(txt):  # SUN ships none
        assert_array_equal(data.target_names, _lines(txt))
    # res101 labels are 1-based positions in allclasses_names.
    labels = data.data[:, 1].astype(int)
    assert_array_equal(data.target, data.target_names[labels - 1])


def test_cub_names_and_order(loaded, xlsa17_dir, shared_zsl_dir):
    """Check CUB's names and that its attribute columns follow allclasses order."""
    cub = loaded["CUB"]
    assert cub.target_names[0] == "002.Laysan_Albatross"
    assert "001.Black_footed_Albatross" in cub.target_names
    folder = os.path.join(shared_zsl_dir, "cub_200_2011")
    cub_names = [line.split()[1] for line in _lines(f"{folder}/classes.txt")]
    percent = np.loadtxt(f"{folder}/class_attributes.txt")
    original = load_xlsa17(xlsa17_dir, "cub", features=None, semantics="original_att")
    rows = [cub_names.index(c) for c in original.target_names]
    assert_allclose(original.class_semantics.to_numpy(), percent[rows])


@pytest.mark.parametrize("name", NAMES)
def test_validation_folds_are_class_disjoint_without_test_seen(loaded, name):
    """Check that no fold holds a test-seen image and that each is class-disjoint."""
    data = loaded[name]
    assert len(data.validation_folds) == 3
    test_seen = set(data.test_seen_indices.tolist())
    for (train, val), (train_classes, val_classes) in zip(
        data.validation_folds, data.validation_class_folds, strict=True
    ):
        assert train.size and val.size
        assert not test_seen & set(train.tolist())
        assert not test_seen & set(val.tolist())
        assert np.intersect1d(train, val).size == 0
        assert_array_equal(
            np.sort(np.concatenate([train, val])), np.sort(data.trainval_indices)
        )
        assert not set(data.target[train]) & set(data.target[val])
        assert set(data.target[val]) == set(val_classes)
        assert set(data.target[train]) == set(train_classes)
        assert np.isin(data.target[val], data.seen_classes).all()


@pytest.mark.parametrize("name", ["AWA1", "AWA2", "SUN"])
def test_val_loc_leaks_test_seen_images(xlsa17_dir, name):
    """Check the quirk the folds avoid: train_loc/val_loc cover test-seen images."""
    raw = _raw(xlsa17_dir, name)
    val = set(raw["val_loc"].ravel().tolist())
    train = set(raw["train_loc"].ravel().tolist())
    test_seen = set(raw["test_seen_loc"].ravel().tolist())
    assert val & test_seen
    assert test_seen <= train | val


def test_cub_has_no_train_val_loc(xlsa17_dir, loaded):
    """Check that CUB, without train_loc/val_loc, still gets its three folds."""
    raw = _raw(xlsa17_dir, "CUB")
    assert "train_loc" not in raw and "val_loc" not in raw
    assert [v.size for _, v in loaded["CUB"].validation_class_folds] == [50, 50, 50]


@pytest.mark.parametrize("name", ["AWA1", "AWA2"])
def test_awa_missing_original_attributes_imputed(xlsa17_dir, name):
    """Check that the -1 entries of original_att are imputed, with a warning."""
    raw = _raw(xlsa17_dir, name)
    assert (raw["original_att"] == -1).sum() == 4
    with pytest.warns(UserWarning, match=r"4 unknown entries.*antelope"):
        data = load_xlsa17(xlsa17_dir, name, features=None, semantics="original_att")
    matrix = data.class_semantics.to_numpy()
    assert (matrix >= 0).all()
    expected = raw["original_att"][:4, 1:].mean(axis=1)
    assert_allclose(matrix[0, :4], expected)
    assert_allclose(matrix[1:], raw["original_att"][:, 1:].T)


def test_att_is_returned_as_shipped(xlsa17_dir):
    """Check that AWA1's normalised att keeps its values (no imputation)."""
    data = load_xlsa17(xlsa17_dir, "AWA1", features=None)
    assert_allclose(data.class_semantics.to_numpy(), _raw(xlsa17_dir, "AWA1")["att"].T)
    assert_allclose(np.linalg.norm(data.class_semantics.to_numpy(), axis=1), 1.0)


@pytest.mark.parametrize("name", NAMES)
def test_semantics_and_split_without_features(xlsa17_dir, loaded, name):
    """Check that att_splits.mat alone gives semantics, split and count estimates."""
    data = load_xlsa17(xlsa17_dir, name, features=None)
    full = loaded[name]
    assert data.data is None and data.target is None and data.validation_folds is None
    assert data.class_semantics == full.class_semantics
    assert_array_equal(data.unseen_classes, full.unseen_classes)
    assert_array_equal(data.test_seen_indices, full.test_seen_indices)
    counts = np.array([data.class_counts[c] for c in data.target_names])
    assert counts.sum() == full.data.shape[0]
    unseen = np.isin(data.target_names, data.unseen_classes)
    assert counts[unseen].sum() == data.test_unseen_indices.size
    assert (
        counts[~unseen].sum()
        == data.trainval_indices.size + data.test_seen_indices.size
    )
    for part in (counts[unseen], counts[~unseen]):
        assert part.max() - part.min() <= 1  # uniform estimate
    assert data.class_counts_source.startswith("uniform")
    assert "no image features" in data.DESCR
    with pytest.raises(ValueError, match="return_X_y=True needs the image features"):
        load_xlsa17(xlsa17_dir, name, features=None, return_X_y=True)


@pytest.mark.parametrize(
    "name, folder, n_images, n_attributes",
    [("CUB", "cub_200_2011", 11788, 312), ("AWA2", "awa2_base", 37322, 85)],
)
def test_metadata_gives_labels_without_features(
    xlsa17_dir, shared_zsl_dir, loaded, name, folder, n_images, n_attributes
):
    """Check that the original releases give every image's class and the names."""
    metadata_dir = os.path.join(shared_zsl_dir, folder)
    data = load_xlsa17(xlsa17_dir, name, features=None, metadata_dir=metadata_dir)
    assert data.target.shape == (n_images,)
    assert_array_equal(data.target, loaded[name].target)
    assert data.semantic_names.shape == (n_attributes,)
    assert data.class_counts == loaded[name].class_counts
    assert data.class_counts_source == "per-image labels"
    for (train, val), (ref_train, ref_val) in zip(
        data.validation_folds, loaded[name].validation_folds, strict=True
    ):
        assert_array_equal(train, ref_train)
        assert_array_equal(val, ref_val)


def test_metadata_mismatch_is_an_error(
    xlsa17_dir, shared_zsl_dir, res101_files, tmp_path
):
    """Check that metadata of another dataset, or disagreeing labels, raise."""
    cub_meta = os.path.join(shared_zsl_dir, "cub_200_2011")
    with pytest.raises(ValueError, match="312 attributes but the dataset has 85"):
        load_xlsa17(xlsa17_dir, "AWA2", features=None, metadata_dir=cub_meta)
    awa_meta = os.path.join(shared_zsl_dir, "awa2_base")
    # AWA1 uses AwA2's predicate names but never AwA2's image lists.
    awa1 = load_xlsa17(xlsa17_dir, "AWA1", features=None, metadata_dir=awa_meta)
    assert awa1.semantic_names[0] == "black" and awa1.target is None
    content = scipy.io.loadmat(res101_files["AWA2"])
    shifted = tmp_path / "res101.mat"
    labels = np.roll(content["labels"], 1)
    scipy.io.savemat(shifted, {"features": content["features"], "labels": labels})
    with pytest.raises(ValueError, match="disagree with the image lists"):
        load_xlsa17(xlsa17_dir, "AWA2", features=shifted, metadata_dir=awa_meta)
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        load_xlsa17(xlsa17_dir, "CUB", features=None, metadata_dir="/nonexistent")


def test_image_files_and_return_x_y(xlsa17_dir, res101_files, loaded):
    """Check image_files decoding and return_X_y."""
    assert loaded["APY"].image_files[:2].tolist() == ["img_0.jpg", "img_1.jpg"]
    assert loaded["CUB"].image_files is None
    X, y = load_xlsa17(xlsa17_dir, "APY", features=res101_files["APY"], return_X_y=True)
    assert_array_equal(X, loaded["APY"].data)
    assert_array_equal(y, loaded["APY"].target)


def test_root_layouts_environment_and_name_case(
    shared_zsl_dir, xlsa17_dir, monkeypatch
):
    """Check XLSA17_ROOT, the xlsa17/ sub-folder layout and case-insensitive names."""
    monkeypatch.setenv("XLSA17_ROOT", xlsa17_dir)
    data = load_xlsa17(name="apy", features=None)
    assert data.name == "APY"
    data = load_xlsa17(shared_zsl_dir, "sun", features=None)
    assert data.target_names.size == 717
    monkeypatch.delenv("XLSA17_ROOT")
    with pytest.raises(ValueError, match="XLSA17_ROOT environment variable"):
        load_xlsa17(name="CUB")
    with pytest.raises(FileNotFoundError, match="No dataset folder 'FLO'"):
        load_xlsa17(xlsa17_dir, "FLO")
    with pytest.raises(ValueError, match="name must be the dataset's folder name"):
        load_xlsa17(xlsa17_dir)
    with pytest.raises(ValueError, match="semantics must be 'att' or 'original_att'"):
        load_xlsa17(xlsa17_dir, "CUB", features=None, semantics="wv")
    with pytest.raises(FileNotFoundError, match="res101.mat' does not exist"):
        load_xlsa17(xlsa17_dir, "CUB")


def _dataset_copy(tmp_path, xlsa17_dir, name, skip=()):
    """A dataset folder in tmp_path linking the real files, except ``skip``."""
    folder = tmp_path / name
    folder.mkdir()
    for entry in os.listdir(os.path.join(xlsa17_dir, name)):
        if entry not in skip:
            os.symlink(os.path.join(xlsa17_dir, name, entry), folder / entry)
    return folder


def test_features_found_in_dataset_folder(xlsa17_dir, res101_files, loaded, tmp_path):
    """Check that features="res101" reads <root>/<name>/res101.mat, and paths."""
    folder = _dataset_copy(tmp_path, xlsa17_dir, "APY")
    os.symlink(res101_files["APY"], folder / "res101.mat")
    for features in ("res101", "res101.mat", str(folder / "res101.mat")):
        data = load_xlsa17(tmp_path, "APY", features=features)
        assert_array_equal(data.data, loaded["APY"].data)
    with pytest.raises(TypeError, match="features must be a file name"):
        load_xlsa17(tmp_path, "APY", features=3)


@pytest.mark.parametrize(
    "content, match",
    [
        (b"this is not a MATLAB file" * 8, "could not be read as a MATLAB .mat file"),
        (b"", "could not be read as a MATLAB .mat file"),
        (
            b"MATLAB 7.3 MAT-file".ljust(116)
            + b"\x00" * 8
            + b"\x00\x02IM"
            + b"\x00" * 64,
            "MATLAB v7.3",
        ),
    ],
)
def test_corrupt_features_file(xlsa17_dir, tmp_path, content, match):
    """Check that a corrupt res101.mat gives a ValueError naming the file."""
    path = tmp_path / "res101.mat"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=match) as info:
        load_xlsa17(xlsa17_dir, "APY", features=path)
    assert str(path) in str(info.value)


def test_truncated_split_file(xlsa17_dir, tmp_path):
    """Check that a truncated att_splits.mat gives a clear ValueError."""
    folder = _dataset_copy(tmp_path, xlsa17_dir, "APY", skip=("att_splits.mat",))
    real = open(os.path.join(xlsa17_dir, "APY", "att_splits.mat"), "rb").read()
    (folder / "att_splits.mat").write_bytes(real[: len(real) // 2])
    with pytest.raises(ValueError, match="att_splits.mat' could not be read.*corrupt"):
        load_xlsa17(tmp_path, "APY", features=None)


@pytest.mark.parametrize("missing", ["features", "labels"])
def test_incomplete_features_file(xlsa17_dir, res101_files, tmp_path, missing):
    """Check that a res101.mat without features or labels names the key."""
    content = scipy.io.loadmat(res101_files["APY"])
    del content[missing]
    path = tmp_path / "res101.mat"
    scipy.io.savemat(path, {k: v for k, v in content.items() if not k.startswith("__")})
    with pytest.raises(ValueError, match=f"has no '{missing}' entry"):
        load_xlsa17(xlsa17_dir, "APY", features=path)


@pytest.mark.parametrize("missing", ["trainval_loc", "allclasses_names", "att"])
def test_incomplete_split_file(xlsa17_dir, tmp_path, missing):
    """Check that an att_splits.mat without a key names the file and the key."""
    folder = _dataset_copy(tmp_path, xlsa17_dir, "APY", skip=("att_splits.mat",))
    raw = _raw(xlsa17_dir, "APY")
    kept = {k: v for k, v in raw.items() if not k.startswith("__") and k != missing}
    scipy.io.savemat(folder / "att_splits.mat", kept)
    with pytest.raises(ValueError, match=f"att_splits.mat' has no '{missing}' entry"):
        load_xlsa17(tmp_path, "APY", features=None)


def test_features_not_matching_the_split(xlsa17_dir, res101_files, tmp_path):
    """Check labels out of range, mis-shaped features and too few images."""
    content = scipy.io.loadmat(res101_files["APY"])
    path = tmp_path / "res101.mat"
    scipy.io.savemat(
        path, {"features": content["features"], "labels": content["labels"] + 40}
    )
    with pytest.raises(ValueError, match="1-based indices into the 32 classes"):
        load_xlsa17(xlsa17_dir, "APY", features=path)
    scipy.io.savemat(
        path, {"features": content["features"][:, :10], "labels": content["labels"]}
    )
    with pytest.raises(ValueError, match="one axis must have one entry per image"):
        load_xlsa17(xlsa17_dir, "APY", features=path)
    scipy.io.savemat(
        path,
        {"features": content["features"][:, :100], "labels": content["labels"][:100]},
    )
    with pytest.raises(ValueError, match="do not belong together"):
        load_xlsa17(xlsa17_dir, "APY", features=path)


def test_labels_contradicting_the_class_lists(xlsa17_dir, res101_files, tmp_path):
    """Check that labels putting an unseen class in trainval are an error."""
    content = scipy.io.loadmat(res101_files["APY"])
    raw = _raw(xlsa17_dir, "APY")
    labels = content["labels"].copy()
    labels[raw["trainval_loc"].ravel()[0] - 1] = labels[
        raw["test_unseen_loc"].ravel()[0] - 1
    ]
    path = tmp_path / "res101.mat"
    scipy.io.savemat(path, {"features": content["features"], "labels": labels})
    with pytest.raises(ValueError, match="do not match the split: the trainval"):
        load_xlsa17(xlsa17_dir, "APY", features=path)


def test_class_list_errors(xlsa17_dir, tmp_path):
    """Check mismatching allclasses.txt, broken folds and missing class lists."""
    folder = _dataset_copy(tmp_path, xlsa17_dir, "APY", skip=("allclasses.txt",))
    (folder / "allclasses.txt").write_text("cat\ndog\n")
    with pytest.raises(ValueError, match="disagrees with allclasses_names"):
        load_xlsa17(tmp_path, "APY", features=None)
    (folder / "allclasses.txt").unlink()
    os.unlink(folder / "valclasses2.txt")
    with pytest.raises(FileNotFoundError, match="valclasses2.txt"):
        load_xlsa17(tmp_path, "APY", features=None)
    (folder / "valclasses2.txt").write_text("aeroplane\nbicycle\n")
    with pytest.raises(ValueError, match="Fold 2 .* not a class-disjoint partition"):
        load_xlsa17(tmp_path, "APY", features=None)
    (folder / "valclasses2.txt").write_text("unicorn\n")
    with pytest.raises(ValueError, match="absent from allclasses_names.*unicorn"):
        load_xlsa17(tmp_path, "APY", features=None)
    for entry in os.listdir(folder):
        if entry.endswith(".txt"):
            os.unlink(folder / entry)
    with pytest.raises(FileNotFoundError, match="seen and unseen classes are unknown"):
        load_xlsa17(tmp_path, "APY", features=None)


def test_class_lists_derived_from_labels(xlsa17_dir, res101_files, loaded, tmp_path):
    """Check that without class lists, labels give seen/unseen classes (no folds)."""
    _dataset_copy(
        tmp_path,
        xlsa17_dir,
        "APY",
        skip=[
            e for e in os.listdir(os.path.join(xlsa17_dir, "APY")) if e.endswith(".txt")
        ],
    )
    data = load_xlsa17(tmp_path, "APY", features=res101_files["APY"])
    assert_array_equal(data.seen_classes, loaded["APY"].seen_classes)
    assert_array_equal(data.unseen_classes, loaded["APY"].unseen_classes)
    assert data.validation_folds == [] and data.validation_class_folds == []


# -- extra modalities ---------------------------------------------------------------
@pytest.fixture(scope="module")
def extras_dir(shared_zsl_dir):
    path = os.path.join(shared_zsl_dir, "extras")
    if not os.path.isdir(path):
        pytest.skip(f"extra modalities not found at {path}")
    return path


def test_extra_modalities_cub(xlsa17_dir, extras_dir, shared_zsl_dir):
    """Check CUB sentences and Wikipedia TF-IDF, aligned to xlsa17 order by name."""
    classes_txt = os.path.join(shared_zsl_dir, "cub_200_2011", "classes.txt")
    tfidf_path = os.path.join(extras_dir, "CUB_wikipedia_TFIDF_HUMAN_ZEST.mat")
    tfidf = load_class_semantics(tfidf_path, class_names=classes_txt, name="wikipedia")
    assert tfidf.labels[0] == "001.Black_footed_Albatross"  # CUB folder order
    data = load_xlsa17(
        xlsa17_dir,
        "CUB",
        features=None,
        extra_semantics={
            "sentences": os.path.join(extras_dir, "CUB_sent_splits.mat"),
            "wikipedia": tfidf,
        },
    )
    semantics = data.class_semantics
    assert semantics.dims == {"attributes": 312, "sentences": 1024, "wikipedia": 1272}
    assert_array_equal(semantics.labels, data.target_names)
    raw_tfidf = scipy.io.loadmat(tfidf_path)["PredicateMatrix"]
    cub_names = [line.split()[1] for line in _lines(classes_txt)]
    rows = [cub_names.index(c) for c in data.target_names]
    assert_allclose(semantics.to_numpy("wikipedia"), raw_tfidf[rows])
    raw_sent = scipy.io.loadmat(os.path.join(extras_dir, "CUB_sent_splits.mat"))["att"]
    assert_allclose(semantics.to_numpy("sentences"), raw_sent.T)


def test_extra_word_vectors_awa1(xlsa17_dir, extras_dir):
    """Check AwA1 word vectors (1000 x 50, one column per class) as a modality."""
    path = os.path.join(extras_dir, "AWA1_att_splits_with_wv_SG-ZSL.mat")
    word_vectors = load_class_semantics(path)
    assert word_vectors.dims == {"wv": 1000}
    data = load_xlsa17(
        xlsa17_dir, "AWA1", features=None, extra_semantics={"word2vec": path}
    )
    assert data.class_semantics.dims == {"attributes": 85, "word2vec": 1000}
    assert_allclose(
        data.class_semantics.to_numpy("word2vec"), scipy.io.loadmat(path)["wv"].T
    )
    att = load_class_semantics(path, key="att", name="same_att")
    assert_allclose(att.to_numpy(), data.class_semantics.to_numpy("attributes"))


def test_extra_modality_shuffled_order_is_realigned(xlsa17_dir):
    """Check alignment by name when an extra modality lists classes in another order."""
    data = load_xlsa17(xlsa17_dir, "APY", features=None)
    order = np.random.RandomState(0).permutation(data.target_names.size)
    reversed_names = data.target_names[order]
    extra = ClassSemantics(reversed_names, {"codes": order.reshape(-1, 1)})
    merged = load_xlsa17(
        xlsa17_dir, "APY", features=None, extra_semantics={"codes": extra}
    )
    codes = merged.class_semantics.to_numpy("codes").ravel()
    assert_array_equal(codes, np.arange(data.target_names.size))


def test_extra_modality_errors(xlsa17_dir, extras_dir, tmp_path):
    """Check mismatched classes, missing names, bad keys and name clashes."""
    sentences = os.path.join(extras_dir, "CUB_sent_splits.mat")
    with pytest.raises(
        ValueError, match="do not match the dataset's: missing.*antelope"
    ):
        load_xlsa17(xlsa17_dir, "AWA1", features=None, extra_semantics={"s": sentences})
    tfidf = os.path.join(extras_dir, "CUB_wikipedia_TFIDF_HUMAN_ZEST.mat")
    with pytest.raises(ValueError, match="no 'allclasses_names'; pass class_names="):
        load_class_semantics(tfidf)
    with pytest.raises(ValueError, match="there are 3 class names"):
        load_class_semantics(tfidf, class_names=["a", "b", "c"])
    with pytest.raises(ValueError, match="class_names disagree"):
        load_class_semantics(sentences, class_names=["a"] * 200)
    with pytest.raises(ValueError, match="has no 'wv' entry"):
        load_class_semantics(sentences, key="wv")
    with pytest.raises(ValueError, match="Two modalities are named 'attributes'"):
        load_xlsa17(
            xlsa17_dir, "CUB", features=None, extra_semantics={"attributes": sentences}
        )
    with pytest.raises(TypeError, match="must be a path or a ClassSemantics"):
        load_xlsa17(xlsa17_dir, "CUB", features=None, extra_semantics={"s": 3})
    with pytest.raises(TypeError, match="extra_semantics must be a dict"):
        load_xlsa17(xlsa17_dir, "CUB", features=None, extra_semantics=[sentences])
    empty = tmp_path / "empty.mat"
    scipy.io.savemat(empty, {"other": np.ones(2)})
    with pytest.raises(ValueError, match="pass key= to name the matrix"):
        load_class_semantics(empty)
