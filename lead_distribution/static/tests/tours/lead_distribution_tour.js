/** @odoo-module **/
// Distribute two leads from the lead list: select them, Actions > Distribute.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("lead_distribution_tour", {
    steps: () => [
        {
            content: "select the first lead",
            trigger:
                ".o_list_view tr.o_data_row:has(td:contains('Tour Lead One')) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "select the second lead",
            trigger:
                ".o_list_view tr.o_data_row:has(td:contains('Tour Lead Two')) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "open the actions menu",
            trigger: ".o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "distribute the selected leads",
            trigger: ".o-dropdown--menu .dropdown-item:contains('Distribute')",
            run: "click",
        },
        {
            content: "the distribution is confirmed",
            trigger: ".o_notification:contains('2 lead(s) distributed')",
        },
    ],
});
