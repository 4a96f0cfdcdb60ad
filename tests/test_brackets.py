from analyzer.brackets import closing_index


def test_brackets_inside_strings_and_escaped_quotes_do_not_count():
    text = '{"a": "}{\\"}", "b": [1, {"c": "]"}]} tail'
    assert text[closing_index(text, 0)] == "}" and text[closing_index(text, 0) + 1 :] == " tail"


def test_a_value_that_never_closes_gives_none_and_the_limit_is_respected():
    assert closing_index('{"a": [1, 2', 0) is None
    assert closing_index("{" + " " * 50 + "}", 0, limit=10) is None


def test_parentheses_with_a_starting_depth_close_an_api_error_wrapper():
    rest = '529 {"message":"Overloaded (try later)"}) · Retrying in 4 seconds'
    i = closing_index(rest, 0, opens="(", closes=")", quotes='"', depth=1)
    assert rest[:i].endswith('later)"}')
