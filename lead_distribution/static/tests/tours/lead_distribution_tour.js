/** @odoo-module **/
// Distribute two leads from the lead list: select them, Actions > Distribute (on a phone
// the rows are selected by a long press).
import { registry } from "@web/core/registry";
import { openCogMenu, selectListRow } from "@lead_quality/../tests/tours/lead_tour_utils";

registry.category("web_tour.tours").add("lead_distribution_tour", {
    steps: () => [
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
    ],
});
