"""tests/nbval_numbers.py: nbval compares a measurement to its printed precision, +-2 units."""

from __future__ import annotations

import nbformat

from tests.nbval_numbers import align_numbers, align_outputs


def test_measurements_within_two_units_of_the_last_digit_read_as_committed():
    assert (
        align_numbers("RMSE 0.472, 69%, 2.2x", "RMSE 0.474, 70%, 2.0x") == "RMSE 0.472, 69%, 2.2x"
    )
    assert align_numbers("3.7e-01  0.562", "3.6e-01  0.563") == "3.7e-01  0.562"
    assert align_numbers("2.4 to 4.3", "2.5 to 4.4") == "2.4 to 4.3"


def test_larger_moves_integers_and_changed_words_are_left_for_nbval_to_report():
    assert align_numbers("RMSE 0.472", "RMSE 0.475") == "RMSE 0.475"  # 3 units
    assert align_numbers("+4.5%", "+4.8%") == "+4.8%"
    assert align_numbers("NaN at step 3", "NaN at step 4") == "NaN at step 4"  # a count
    assert align_numbers("loss 0.47 (ok)", "loss 0.47 (bad)") == "loss 0.47 (bad)"
    assert align_numbers("ratio 2.2x", "ratio 2.2%") == "ratio 2.2%"  # another unit
    assert align_numbers("share 0.5", "share 0.5%") == "share 0.5%"  # a unit appeared
    assert align_numbers("0.47 0.48", "0.47") == "0.47"  # a number missing


def test_dates_ranges_and_names_are_not_measurements():
    assert align_numbers("2018-01-02 dense_1", "2018-01-03 dense_1") == "2018-01-03 dense_1"
    assert align_numbers("$1.62-1.66", "$1.63-1.67") == "$1.62-1.66"


def test_outputs_are_aligned_by_place_and_kind_without_changing_the_originals():
    committed = [
        nbformat.v4.new_output("stream", name="stdout", text="loss 0.472\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "0.5179"}),
    ]
    new = [
        nbformat.v4.new_output("stream", name="stdout", text="loss 0.473\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "0.5180"}),
        nbformat.v4.new_output("stream", name="stderr", text="warning 1.5\n"),
    ]
    aligned = align_outputs(new, committed)
    assert aligned[0]["text"] == "loss 0.472\n" and new[0]["text"] == "loss 0.473\n"
    assert aligned[1]["data"]["text/plain"] == "0.5179"
    assert aligned[2]["text"] == "warning 1.5\n"  # nothing committed there
    stderr = [nbformat.v4.new_output("stream", name="stderr", text="loss 0.473\n")]
    assert align_outputs(stderr, committed)[0]["text"] == "loss 0.473\n"  # another stream
