/** @odoo-module **/

import { registry } from "@web/core/registry";
import { openMenu, pickMany2one } from "./lead_tour_utils";

// Salesperson with "Own documents only": from the pipeline to an own opportunity of a ranked
// medium, the Lead Quality page (medium, score out of 100, why it is not ready), accept it,
// then reject it with a reason and a note. At desktop and at phone width (lead_tour_utils).
registry.category("web_tour.tours").add("lead_quality_salesperson_tour", {
    steps: () => [
        {
            content: "The pipeline shows the own opportunity",
            trigger: ".o_kanban_record:contains('Role Tour Opportunity')",
            run: "click",
        },
        {
            content: "The form opened without an error",
            trigger: ".o_form_view .o_field_widget[name=name] textarea:value('Role Tour Opportunity'), .o_form_view .o_field_widget[name=name] input:value('Role Tour Opportunity')",
        },
        {
            content: "Open the Lead Quality page",
            trigger: ".o_notebook .nav-link:contains('Lead Quality')",
            run: "click",
        },
        {
            content: "The medium is shown on the page",
            trigger: ".o_notebook .o_lead_quality_score_group .o_field_widget[name=medium_id] input:value('Role Tour Calls')",
        },
        {
            content: "The score is a score out of 100",
            trigger: ".o_lead_quality_score:contains('/ 100') .o_field_widget[name=quality_score]",
        },
        {
            content: "Why the lead is not ready: the missing information and the required completeness",
            trigger: ".o_lead_quality_not_ready:contains('requires 80 %'):contains('Missing:')",
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
            content: "Reject the lead after all",
            trigger: "div[name=lead_quality_buttons] button[name=action_open_quality_reject]",
            run: "click",
        },
        ...pickMany2one(".modal .o_field_widget[name=reason_id]", "No need", "Choose a reason"),
        {
            content: "Say what was wrong",
            trigger: ".modal .o_field_widget[name=note] textarea, .modal .o_field_widget[name=note] input",
            run: "edit Only wanted a brochure",
        },
        {
            content: "Reject",
            trigger: ".modal .modal-footer button:contains('Reject')",
            run: "click",
        },
        {
            content: "The rejection is shown on the form",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=quality_feedback_state]:contains('Rejected')",
        },
    ],
});

// Marketing (a sales manager): the Lead Quality by Medium report with the company and the
// samples of the rates, then the rank proposal with its minimum evidence, applied. At desktop
// and at phone width.
registry.category("web_tour.tours").add("lead_quality_marketing_tour", {
    steps: () => [
        {
            content: "The report lists the medium with its company",
            trigger: ".o_list_view .o_data_row:contains('Role Tour Calls'):has(td[name=company_id])",
        },
        {
            content: "The rates come with their samples",
            trigger: ".o_list_view th[data-name=feedback_count], .o_list_view th[data-name=outcome_count]",
        },
        ...openMenu(
            "lead_quality.menu_lead_quality_rank_proposal",
            "Reporting",
            "Propose Media Ranks",
            "Open the rank proposal"
        ),
        {
            content: "The proposal names its minimum evidence",
            trigger: ".modal .o_field_widget[name=min_evidence] input, .modal .o_field_widget[name=min_evidence]",
        },
        {
            content: "The medium with enough evidence is proposed for a new rank",
            trigger: ".modal .o_data_row:contains('Role Tour Fair') .o_field_widget[name=apply] input:checked",
        },
        {
            content: "Apply",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The dialog closes without an error",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
