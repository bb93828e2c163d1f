/** @odoo-module **/

import { registry } from "@web/core/registry";
import { onPhone, openHeaderMenu } from "./lead_tour_utils";

const QUALITY_BUTTONS =
    "button[name=action_quality_accept], button[name=action_open_quality_reject], button[name=action_mark_data_verified]";

// Opens a lead (URL given by the test), checks the grade badge under the title and the
// hints about the information its medium requires, then completes one field and sees the hint
// go; finally accepts the lead with the button on the Lead Quality page (the form header is
// left to Odoo's stage bar; on a phone, where the header's buttons are in the cog menu, to
// that menu).
registry.category("web_tour.tours").add("lead_quality_grade_badge_tour", {
    steps: () => [
        {
            content: "The grade badge is shown under the title",
            trigger: ".oe_title .o_lead_quality_title_grade .o_lead_quality_grade .badge:contains('D')",
        },
        {
            content: "None of the quality buttons crowd the header",
            trigger: `.o_form_statusbar:not(:has(${QUALITY_BUTTONS}, .o_lead_quality_grade))`,
        },
        ...onPhone([
            openHeaderMenu("The header's buttons are in a menu on a phone"),
            {
                content: "None of the quality buttons crowd them",
                trigger: `.o-dropdown--menu:has(.o-dropdown-item-unstyled-button button):not(:has(${QUALITY_BUTTONS}))`,
            },
            openHeaderMenu("Close the menu of the header's buttons"),
            { content: "Closed", trigger: "body:not(:has(.o-dropdown--menu))" },
        ]),
        {
            content: "The missing required information of the medium is listed",
            trigger: ".o_lead_quality_missing:contains('Job Position'):contains('Phone')",
        },
        {
            content: "Fill in the job position",
            trigger: ".o_field_widget[name=function] input",
            run: "edit Head of IT",
        },
        {
            content: "Leave the field so the form recomputes",
            trigger: ".o_field_widget[name=name] textarea, .o_field_widget[name=name] input",
            run: "click",
        },
        {
            content: "The job position is no longer listed as missing",
            trigger: ".o_lead_quality_missing:contains('Phone'):not(:contains('Job Position'))",
        },
        {
            content: "Save the lead",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Open the Lead Quality page",
            trigger: ".o_notebook .nav-link:contains('Lead Quality')",
            run: "click",
        },
        {
            content: "Verification and rejection are offered on the page",
            trigger:
                "div[name=lead_quality_buttons]:has(button[name=action_mark_data_verified]):has(button[name=action_open_quality_reject])",
        },
        {
            content: "Accept the lead",
            trigger: "div[name=lead_quality_buttons] button[name=action_quality_accept]",
            run: "click",
        },
        {
            content: "The verdict is shown",
            trigger: ".o_field_widget[name=quality_feedback_state]:contains('Accepted')",
        },
        {
            content: "An accepted lead offers no second acceptance",
            trigger: "div[name=lead_quality_buttons]:not(:has(button[name=action_quality_accept]))",
        },
    ],
});
