/* Text classification batches: a list of texts in the request, one label list per text in
 * the response. A 2-input batch at every read split, the response shapes (list of lists,
 * flat list, bare object) at every split, inputs without labels, list counts that do not
 * match the inputs, hostile nestings and arena exhaustion. Expected values are written by
 * hand next to each body. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rig.h"

#include "hf/hf_text_classification.h"
#include "hf_priv.h"
#include "tasks/tasks_priv.h"

#define ARENA (1u << 16)

#define POS(s) "{\"label\":\"POSITIVE\",\"score\":" s "}"
#define NEG(s) "{\"label\":\"NEGATIVE\",\"score\":" s "}"

static const char *g_two[] = {"I like you", "I hate you"};

/* n_inputs 0: the single text "I like you"; otherwise the first n of g_two as a batch. */
static hf_status_t classify(const char *body, size_t n_inputs, size_t split, hf_text_classification_output_t *out)
{
    hf_text_classification_input_t in;
    hf_rig_setup(split, 0u, ARENA);
    hf_rig_add_json(body);
    memset(&in, 0, sizeof in);
    if (n_inputs == 0u) {
        in.inputs = "I like you";
    } else {
        in.inputs_batch = g_two;
        in.inputs_batch_count = n_inputs;
    }
    return hf_text_classification(&g_client, "m", &in, &g_arena, out);
}

static void check_label(const hf_text_classification_output_list_t *l, size_t i, const char *label, double score)
{
    CHECK(i < l->elements_count);
    if (i < l->elements_count) {
        CHECK_STR(l->elements[i].label, label);
        CHECK_NEAR(l->elements[i].score, score, score * 1.2e-7);
    }
}

static void check_cleared(const hf_text_classification_output_t *out)
{
    CHECK(out->lists == NULL && out->lists_count == 0u && out->elements == NULL && out->elements_count == 0u);
}

/* ------------------------------------------------------------------ a 2-input batch */

static void test_batch_two(void)
{
    static const char body[] = "[[" POS("0.9998") "," NEG("0.0002") "],[" NEG("0.9991") "," POS("0.0009") "]]";
    hf_text_classification_output_t out;
    for (size_t k = 1; k <= sizeof body + 80u; k++) {
        CHECK_STATUS(classify(body, 2u, k, &out), HF_OK);
        CHECK_INT(out.lists_count, 2);
        if (out.lists_count != 2u) {
            continue;
        }
        CHECK_INT(out.lists[0].elements_count, 2);
        CHECK_INT(out.lists[1].elements_count, 2);
        check_label(&out.lists[0], 0u, "POSITIVE", 0.9998);
        check_label(&out.lists[0], 1u, "NEGATIVE", 0.0002);
        check_label(&out.lists[1], 0u, "NEGATIVE", 0.9991);
        check_label(&out.lists[1], 1u, "POSITIVE", 0.0009);
        CHECK(out.elements == out.lists[0].elements && out.elements_count == 2u);
    }
    CHECK_STR(hf_rig_sent_body(), "{\"inputs\":[\"I like you\",\"I hate you\"],\"parameters\":{}}");
    /* A batch of one text is still a list on the wire. */
    CHECK_STATUS(classify("[[" POS("1") "]]", 1u, 1u, &out), HF_OK);
    CHECK_STR(hf_rig_sent_body(), "{\"inputs\":[\"I like you\"],\"parameters\":{}}");
    CHECK_INT(out.lists_count, 1);
}

/* ------------------------------------------------------------------ shapes */

/* Nested, flat and bare answers to one text, and to a batch of one, at every split. */
static void test_shapes(void)
{
    static const char *const bodies[] = {
        "[[" POS("0.75") "," NEG("0.25") "]]",
        "[" POS("0.75") "," NEG("0.25") "]",
        " [ [ " POS("0.75") " , " NEG("0.25") " ] ] ",
    };
    hf_text_classification_output_t out;
    for (size_t b = 0; b < sizeof bodies / sizeof bodies[0]; b++) {
        for (size_t k = 1; k <= strlen(bodies[b]) + 80u; k++) {
            CHECK_STATUS(classify(bodies[b], (k & 1u) != 0u ? 0u : 1u, k, &out), HF_OK);
            CHECK_INT(out.lists_count, 1);
            if (out.lists_count == 1u) {
                CHECK_INT(out.lists[0].elements_count, 2);
                check_label(&out.lists[0], 0u, "POSITIVE", 0.75);
                check_label(&out.lists[0], 1u, "NEGATIVE", 0.25);
            }
        }
    }
    for (size_t k = 1; k <= 120u; k++) {
        CHECK_STATUS(classify(NEG("0.5"), k % 2u, k, &out), HF_OK);
        CHECK(out.lists_count == 1u && out.elements_count == 1u);
        check_label(&out.lists[0], 0u, "NEGATIVE", 0.5);
    }
}

/* An input may have no labels; a result without any label is empty; [] and [[]] as before. */
static void test_empty_lists(void)
{
    hf_text_classification_output_t out;
    static const char last_empty[] = "[[" POS("0.9") "],[]]";
    static const char first_empty[] = "[[],[" NEG("0.8") "]]";
    for (size_t k = 1; k <= sizeof last_empty + 80u; k++) {
        CHECK_STATUS(classify(last_empty, 2u, k, &out), HF_OK);
        CHECK_INT(out.lists_count, 2);
        if (out.lists_count == 2u) {
            check_label(&out.lists[0], 0u, "POSITIVE", 0.9);
            CHECK(out.lists[1].elements_count == 0u && out.lists[1].elements == NULL);
        }
        CHECK_STATUS(classify(first_empty, 2u, k, &out), HF_OK);
        CHECK_INT(out.lists_count, 2);
        if (out.lists_count == 2u) {
            CHECK(out.lists[0].elements_count == 0u && out.elements_count == 0u && out.elements == NULL);
            check_label(&out.lists[1], 0u, "NEGATIVE", 0.8);
        }
    }
    CHECK_STATUS(classify("[]", 0u, 1u, &out), HF_ERR_EMPTY_RESULT);
    check_cleared(&out);
    CHECK_STATUS(classify("[[]]", 0u, 1u, &out), HF_ERR_EMPTY_RESULT);
    check_cleared(&out);
    CHECK_STATUS(classify("[[]]", 1u, 1u, &out), HF_ERR_EMPTY_RESULT);
    CHECK_STATUS(classify("[[],[]]", 2u, 2u, &out), HF_ERR_EMPTY_RESULT);
    CHECK_STATUS(hf_client_error(&g_client)->status, HF_ERR_EMPTY_RESULT);
    check_cleared(&out);
}

/* One list per input, no more, no fewer. */
static void test_count_mismatch(void)
{
    static const struct {
        const char *body;
        size_t inputs;
    } bad[] = {
        {"[[" POS("1") "],[" NEG("1") "]]", 0u}, /* two lists for one text */
        {"[[" POS("1") "],[]]", 0u},
        {"[[" POS("1") "],[" NEG("1") "]]", 1u},
        {"[[" POS("1") "]]", 2u},              /* one list for two texts */
        {"[" POS("1") "," NEG("1") "]", 2u},    /* flat: one list */
        {NEG("1"), 2u},
        {"[[" POS("1") "],[" NEG("1") "],[" NEG("1") "]]", 2u},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hf_text_classification_output_t out;
        hf_status_t st = classify(bad[i].body, bad[i].inputs, 3u, &out);
        CHECK_STATUS(st, HF_ERR_JSON_SHAPE);
        CHECK_STATUS(hf_client_error(&g_client)->status, HF_ERR_JSON_SHAPE);
        CHECK(strstr(hf_client_error(&g_client)->message, "one label list per input") != NULL);
        check_cleared(&out);
    }
}

static void test_hostile(void)
{
    static const char *const bad[] = {
        "[[" POS("1") "]," POS("1") "]", "[[" POS("1") "],[1]]", "[[" POS("1") "],[[" POS("1") "]]]",
        "[[" POS("1") "],\"x\"]", "[[" POS("1") "],null]", "[[" POS("1") "],[" POS("1") ",[]]]",
        "[[" POS("1") "],[{\"label\":\"a\"}]]", "[[],[2]]", "[[],[[]]]", "[[],{}]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hf_text_classification_output_t out;
        hf_status_t st = classify(bad[i], 2u, 5u, &out);
        CHECK_STATUS(st, HF_ERR_JSON_SHAPE);
        if (st != HF_ERR_JSON_SHAPE) {
            fprintf(stderr, "  body: %s -> %s\n", bad[i], hf_status_str(st));
        }
        check_cleared(&out);
    }
}

/* Every arena size from "tokens only" up: each failure is NO_MEMORY with the arena given back. */
static void test_arena(void)
{
    static const char json[] = "[[" POS("0.9998") "," NEG("0.0002") "],[],[" NEG("0.5") "]]";
    static char text[256];
    static uint8_t mem[4096];
    bool ok = false;
    for (size_t extra = 0; extra < 512u && !ok; extra++) {
        hf_text_classification_output_t out;
        hf_json_doc_t doc;
        hf_arena_t a;
        hf_error_t err;
        hf_status_t st;
        size_t mark;
        memcpy(text, json, sizeof json);
        hf_arena_init(&a, mem, sizeof mem);
        hf_error_clear(&err);
        if (hf_json_parse(&doc, text, sizeof json - 1u, &a) != HF_OK) {
            CHECK(0);
            return;
        }
        mark = hf_arena_mark(&a);
        a.cap = mark + extra;
        st = hf_priv_text_classification_decode(&doc, &a, &out, &err);
        ok = st == HF_OK;
        if (!ok) {
            CHECK_STATUS(st, HF_ERR_NO_MEMORY);
            CHECK(err.needed > mark + extra);
            CHECK_INT(hf_arena_mark(&a), mark);
            check_cleared(&out);
            continue;
        }
        CHECK_INT(out.lists_count, 3);
        CHECK(out.lists[0].elements_count == 2u && out.lists[1].elements_count == 0u &&
              out.lists[2].elements_count == 1u);
        check_label(&out.lists[2], 0u, "NEGATIVE", 0.5);
        /* 3 lists and 3 elements, nothing else. */
        CHECK(extra >= 3u * sizeof(hf_text_classification_output_list_t) +
                           3u * sizeof(hf_text_classification_output_element_t));
    }
    CHECK(ok);
}

int main(void)
{
    test_batch_two();
    test_shapes();
    test_empty_lists();
    test_count_mismatch();
    test_hostile();
    test_arena();
    return CHECK_DONE();
}
