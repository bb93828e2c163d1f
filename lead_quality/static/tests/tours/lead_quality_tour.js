/** @odoo-module **/

import { registry } from "@web/core/registry";

// Opens a lead (URL given by the test), checks the grade badge in the form header and the
// hints about the information its medium requires, then completes one field and sees the hint go.
registry.category("web_tour.tours").add("lead_quality_grade_badge_tour", {
    steps: () => [
        {
            content: "The grade badge is shown in the form header",
            trigger: ".o_form_statusbar .o_field_widget[name=quality_grade] .badge:contains('D')",
        },
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
    ],
});
