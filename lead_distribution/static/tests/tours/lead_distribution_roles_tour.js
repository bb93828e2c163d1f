/** @odoo-module **/
// The screens of lead distribution as the people who use them: a sales manager (pool form,
// a waiting lead, distribute from the list, decision log, fairness report) and a sales
// partner in the portal (/my, its leads, a lead's page, accept, report progress, decline
// with a reason), at desktop and phone width. Every step checks that no error is shown.
import { registry } from "@web/core/registry";
import { leavesPage } from "@lead_quality/../tests/tours/tour_compat";
import {
    clickStatButton,
    goBack,
    openCogMenu,
    selectListRow,
} from "@lead_quality/../tests/tours/lead_tour_utils";

const NO_ERROR_BACKEND = {
    content: "no error dialog",
    trigger: ".o_web_client:not(:has(.o_error_dialog)):not(:has(.o_dialog .text-danger))",
};
const NO_ERROR_PORTAL = {
    content: "no error page or message",
    trigger: "body:not(:has(.o_distribution_error)):not(:has(.o_error_dialog)):not(:contains(Traceback))",
};

/** A step that fails when its element is cut off at the right or left edge. */
function fullyVisible(content, trigger, click = false) {
    return {
        content,
        trigger,
        run(helpers) {
            const rect = this.anchor.getBoundingClientRect();
            const width = document.documentElement.clientWidth;
            if (rect.width < 24 || rect.height < 12 || rect.left < -1 || rect.right > width + 1) {
                const message = `${content}: cut off (${Math.round(rect.left)}..${Math.round(
                    rect.right
                )} px of ${width} px, ${Math.round(rect.width)}x${Math.round(rect.height)})`;
                console.error(message);
                throw new Error(message);
            }
            if (click) {
                return helpers.click();
            }
        },
    };
}

registry.category("web_tour.tours").add("lead_distribution_manager_tour", {
    steps: () => [
        {
            content: "open the pool",
            trigger: ".o_list_view .o_data_row td.o_data_cell:contains('Tour pool')",
            run: "click",
        },
        {
            content: "the pool's members are listed",
            trigger: ".o_form_view div[name=member_ids] .o_data_row:contains('Tom Tour')",
        },
        NO_ERROR_BACKEND,
        ...clickStatButton("action_view_pending", "open the pool's pending leads"),
        {
            content: "open a waiting lead",
            trigger: ".o_list_view .o_data_row td.o_data_cell:contains('Tour Lead One')",
            run: "click",
        },
        {
            content: "the form says that the pool distributes the lead",
            trigger: ".o_form_view .o_distribution_waiting_banner:contains('Tour pool')",
        },
        NO_ERROR_BACKEND,
        ...goBack("Pending leads", "back to the pending leads"),
        ...selectListRow("Tour Lead One", "select the first lead"),
        ...selectListRow("Tour Lead Two", "select the second lead"),
        openCogMenu(),
        {
            content: "distribute the selected leads",
            trigger: ".o-dropdown--menu .dropdown-item:contains('Distribute')",
            run: "click",
        },
        {
            content: "the distribution is confirmed",
            trigger: ".o_notification:contains('2 lead(s) distributed')",
        },
        NO_ERROR_BACKEND,
        leavesPage({
            content: "open the decision log",
            trigger: "body",
            run: "goToUrl /odoo/action-lead_distribution.lead_distribution_log_action",
        }),
        {
            content: "open the decision about the first lead",
            trigger: ".o_list_view .o_data_row td.o_data_cell:contains('Tour Lead One')",
            run: "click",
        },
        {
            content: "the decision says why",
            trigger: ".o_form_view div[name=reason]:contains('Tour pool')",
        },
        NO_ERROR_BACKEND,
        leavesPage({
            content: "open the fairness report",
            trigger: "body",
            run: "goToUrl /odoo/action-lead_distribution.lead_distribution_report_action",
        }),
        {
            content: "the report shows the members",
            trigger: ".o_pivot th:contains('Tom Tour')",
        },
        {
            content: "and the partner",
            trigger: ".o_pivot th:contains('Tour Partner GmbH')",
        },
        NO_ERROR_BACKEND,
    ],
});

registry.category("web_tour.tours").add("lead_distribution_portal_tour", {
    steps: () => [
        fullyVisible(
            "the offered leads on /my, with their count",
            ".o_portal_index_card:not(.d-none) a[href='/my/offered-leads']:has([data-placeholder_count]:contains(3))"
        ),
        leavesPage({
            content: "open the offered leads",
            trigger: ".o_portal_index_card a[href='/my/offered-leads']",
            run: "click",
        }),
        fullyVisible(
            "a lead's status is readable in the list",
            ".o_distribution_lead:contains('Tour Lead One') .o_distribution_status"
        ),
        fullyVisible(
            "its deadline is readable in the list",
            ".o_distribution_lead:contains('Tour Lead One') .o_distribution_deadline"
        ),
        fullyVisible(
            "its grade is readable in the list",
            ".o_distribution_lead:contains('Tour Lead One') .o_distribution_grade"
        ),
        NO_ERROR_PORTAL,
        leavesPage({
            content: "open the first lead",
            trigger: ".o_distribution_lead:contains('Tour Lead One')",
            run: "click",
        }),
        {
            content: "before accepting: no contact data",
            trigger: ".o_distribution_lead_page:not(:has(.o_distribution_contact)):not(:contains(tourcontact1@))",
        },
        leavesPage(fullyVisible("accept the lead", ".o_distribution_answer .o_accept", true)),
        {
            content: "the lead is accepted: the contact's data is shown",
            trigger: ".o_distribution_contact:contains('tourcontact1@customer.example.com')",
        },
        NO_ERROR_PORTAL,
        {
            content: "note the contact",
            trigger: "#contacted_note",
            run: "edit Called, visit next week",
        },
        leavesPage(fullyVisible("report the contact", ".o_distribution_progress .o_contacted", true)),
        {
            content: "the contact is recorded",
            trigger: ".alert-success:contains('the contact is recorded')",
        },
        NO_ERROR_PORTAL,
        {
            content: "enter the amount won",
            trigger: "#won_amount",
            run: "edit 15000",
        },
        leavesPage(fullyVisible("report the deal won", ".o_distribution_progress .o_won", true)),
        {
            content: "the lead is won",
            trigger: ".o_distribution_outcome:contains('Won')",
        },
        NO_ERROR_PORTAL,
        leavesPage({
            content: "back to the list",
            trigger: "body",
            run: "goToUrl /my/offered-leads",
        }),
        leavesPage({
            content: "open the second lead",
            trigger: ".o_distribution_lead:contains('Tour Lead Two')",
            run: "click",
        }),
        {
            content: "choose a reason for declining",
            trigger: "#decline_reason_id",
            run: "selectByLabel Outside our region",
        },
        fullyVisible("the explanation field", "#decline_reason"),
        {
            content: "explain the reason",
            trigger: "#decline_reason",
            run: "edit Too far from our branches",
        },
        leavesPage(fullyVisible("decline the lead", ".o_distribution_answer .o_decline", true)),
        {
            content: "the lead is declined",
            trigger: ".alert-info:contains('goes back to distribution')",
        },
        NO_ERROR_PORTAL,
        leavesPage({
            content: "open the third lead",
            trigger: ".o_distribution_lead:contains('Tour Lead Three')",
            run: "click",
        }),
        leavesPage(fullyVisible("accept it too", ".o_distribution_answer .o_accept", true)),
        {
            content: "choose why it was lost",
            trigger: "#lost_reason_id",
            run: "selectByLabel Tour lost reason",
        },
        leavesPage(fullyVisible("report the lead lost", ".o_distribution_progress .o_lost", true)),
        {
            content: "the lead is lost, with its reason",
            trigger: ".o_distribution_outcome:contains('Tour lost reason')",
        },
        NO_ERROR_PORTAL,
    ],
});
