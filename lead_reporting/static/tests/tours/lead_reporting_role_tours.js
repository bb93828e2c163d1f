/** @odoo-module **/

import { registry } from "@web/core/registry";
import { onDesktop, onPhone } from "@lead_quality/../tests/tours/lead_tour_utils";

// The screens of marketing and of a salesperson, each as the role that uses it; any error
// dialog fails the tour. At desktop and at phone width.
const noError = {
    content: "no error dialog",
    trigger: "body:not(:has(.o_error_dialog)):not(:has(.o_dialog .modal-title:contains('Error')))",
};

// marketing: a campaign with its cost and success criteria, from CRM's configuration (on a
// phone Odoo shows the campaigns' kanban: a new campaign is named on its card, then edited)
registry.category("web_tour.tours").add("lead_reporting_marketing_campaign_tour", {
    steps: () => [
        ...onDesktop([
            {
                content: "campaign list",
                trigger: ".o_list_view .o_data_row:contains('Tour Spring')",
            },
            { content: "new campaign", trigger: ".o_list_button_add", run: "click" },
            {
                content: "name it",
                trigger: ".o_form_view .o_field_widget[name=title] input",
                run: "edit Tour Autumn Fair",
            },
        ]),
        ...onPhone([
            { content: "campaigns", trigger: ".o_kanban_view .o_kanban_record:contains('Tour Spring')" },
            { content: "new campaign", trigger: ".o-kanban-button-new", run: "click" },
            {
                content: "name it",
                trigger: ".o_kanban_quick_create .o_field_widget[name=title] input",
                run: "edit Tour Autumn Fair",
            },
            {
                content: "edit the new campaign",
                trigger: ".o_kanban_quick_create .o_kanban_edit",
                run: "click",
            },
            {
                content: "its form",
                trigger: ".o_form_view .o_field_widget[name=title] input:value('Tour Autumn Fair')",
            },
        ]),
        {
            content: "open cost and success criteria",
            trigger: ".o_notebook .nav-link:contains('Cost and Success Criteria')",
            run: "click",
        },
        {
            content: "its cost",
            trigger: ".o_field_widget[name=campaign_cost] input",
            run: "edit 2500",
        },
        {
            content: "lead target",
            trigger: ".o_field_widget[name=kpi_lead_target] input",
            run: "edit 50",
        },
        {
            content: "cost per lead target",
            trigger: ".o_field_widget[name=kpi_cost_per_lead_target] input",
            run: "edit 60",
        },
        { content: "save", trigger: ".o_form_button_save", run: "click" },
        {
            content: "saved",
            trigger: ".o_form_view .o_form_saved, .o_form_view:not(:has(.o_form_status_indicator_buttons:not(.invisible)))",
        },
        noError,
    ],
});

// marketing: marketing versus sales per campaign, with the campaign's figures
registry.category("web_tour.tours").add("lead_reporting_marketing_vs_sales_tour", {
    steps: () => [
        {
            content: "the pivot with real rows (no sample data)",
            trigger: ".o_pivot:not(.o_view_sample_data) th:contains('Tour Spring')",
        },
        {
            content: "the follow-up share is a measure",
            trigger: ".o_pivot thead th:contains('Followed Up in Time')",
        },
        noError,
    ],
});

// marketing: the quotas and one quota's attainment
registry.category("web_tour.tours").add("lead_reporting_marketing_quota_tour", {
    steps: () => [
        {
            content: "open the quota",
            trigger: ".o_list_view .o_data_row td:contains('Tour quota')",
            run: "click",
        },
        { content: "its attainment", trigger: ".o_form_view .o_field_widget[name=attainment]" },
        noError,
    ],
});

// a salesperson: the results of the leads received
registry.category("web_tour.tours").add("lead_reporting_my_lead_results_tour", {
    steps: () => [
        {
            content: "my results, real rows",
            trigger: ".o_pivot:not(.o_view_sample_data) thead th:contains('Received')",
        },
        {
            content: "the won revenue measure",
            trigger: ".o_pivot thead th:contains('Won Revenue')",
        },
        noError,
    ],
});
