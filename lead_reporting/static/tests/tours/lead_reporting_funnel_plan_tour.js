/** @odoo-module **/

import { registry } from "@web/core/registry";
import {
    clickHeaderButton,
    clickStatButton,
    openCogMenu,
    pickMany2one,
} from "@lead_quality/../tests/tours/lead_tour_utils";

// A sales manager plans the leads of a year in the form: team, period, target, two lines
// (Email with its own history, Website without: it takes the plan's rate); the expected rates
// come from the history, the plan is feasible and confirmed without a reason; then the PDF is
// printed and plan versus actual opened, down to the leads behind a figure. Any error dialog
// fails the tour. At desktop and at phone width (lead_tour_utils: the header's buttons in the
// cog menu, the smart buttons behind a button, many2one values searched in a dialog).
const noError = {
    content: "no error dialog",
    trigger: "body:not(:has(.o_error_dialog)):not(:has(.o_dialog .modal-title:contains('Error')))",
};

function addLine(row, medium, leads) {
    const selected = `.o_field_widget[name=line_ids] .o_data_row:nth-child(${row}).o_selected_row`;
    return [
        {
            content: `add a line for ${medium}`,
            trigger: ".o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        ...pickMany2one(
            `${selected} .o_field_widget[name=medium_id]`,
            medium,
            `choose the medium ${medium}`
        ),
        {
            content: `plan ${leads} leads`,
            trigger: `${selected} .o_field_widget[name=planned_leads] input`,
            run: `edit ${leads}`,
        },
    ];
}

registry.category("web_tour.tours").add("lead_reporting_funnel_plan_tour", {
    steps: () => {
        const year = new Date().getFullYear();
        return [
            {
                content: "create a funnel plan",
                trigger: ".o_list_button_add",
                run: "click",
            },
            {
                content: "name the plan",
                trigger: ".o_field_widget[name=name] input",
                run: "edit Tour plan",
            },
            ...pickMany2one(
                ".o_field_widget[name=team_id]",
                "Tour Funnel Team",
                "choose the sales team"
            ),
            {
                content: "the period starts on the first of January",
                trigger: ".o_field_widget[name=date_from] input",
                run: `edit ${year}-01-01`,
            },
            {
                content: "and ends on the last of December",
                trigger: ".o_field_widget[name=date_to] input",
                run: `edit ${year}-12-31`,
            },
            {
                content: "enter the revenue target",
                trigger: ".o_field_widget[name=revenue_target] input",
                run: "edit 110000",
            },
            ...addLine(1, "Tour Email", 60),
            ...addLine(2, "Tour Website", 40),
            {
                content: "leave the lines",
                trigger: ".o_field_widget[name=name] input",
                run: "click",
            },
            {
                content: "Email expects its own history: 33.33 %",
                trigger: ".o_field_widget[name=line_ids] .o_data_row:has(td:contains('Tour Email')) td[name=expected_conversion]:contains('33.33')",
            },
            {
                content: "Website has no history of its own: the plan's 15.00 %",
                trigger: ".o_field_widget[name=line_ids] .o_data_row:has(td:contains('Tour Website')) td[name=expected_conversion]:contains('15.00')",
            },
            {
                content: "save the plan",
                trigger: ".o_form_button_save",
                run: "click",
            },
            {
                content: "saved",
                trigger: ".o_form_saved",
            },
            {
                content: "the plan is feasible: no warning ribbon",
                trigger: ".o_form_view:not(:has(.ribbon:contains('Not feasible')))",
            },
            ...clickHeaderButton("action_confirm", "confirm the plan"),
            {
                content: "the plan is confirmed",
                // the current state's button, or on a phone with Odoo 19.0 the status menu
                // that shows the current state
                trigger:
                    ".o_statusbar_status [aria-checked=true]:contains('Confirmed'), " +
                    ".o_statusbar_status .dropdown-toggle:contains('Confirmed')",
            },
            noError,
            openCogMenu(),
            {
                content: "print plan versus actual",
                trigger: ".o-dropdown--menu .o_menu_item:contains('Funnel plan versus actual')",
                run: "click",
            },
            ...clickStatButton("action_view_report", "open plan versus actual"),
            {
                content: "the pivot reads months by planned and actual figures",
                trigger: ".o_pivot thead:contains('Planned Leads'):contains('Actual Leads'):contains('Won Revenue')",
            },
            {
                content: "open the leads behind the actual leads of the whole plan",
                trigger: ".o_pivot tbody tr:first-child td.o_pivot_cell_value:nth-of-type(2)",
                run: "click",
            },
            {
                content: "the leads of the plan are listed",
                trigger: ".o_list_view .o_data_row:contains('Tour actual lead')",
            },
            noError,
        ];
    },
});
