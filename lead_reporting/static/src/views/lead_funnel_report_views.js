/** @odoo-module **/

import { Domain } from "@web/core/domain";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat } from "@web/views/fields/formatters";
import { graphView } from "@web/views/graph/graph_view";
import { GraphRenderer } from "@web/views/graph/graph_renderer";
import { pivotView } from "@web/views/pivot/pivot_view";
import { PivotRenderer } from "@web/views/pivot/pivot_renderer";

/**
 * A ratio of the reports (deviation, share followed up in time, cost per won deal ...):
 * "n/a" where it is undefined (nothing planned, no deadline passed yet, nothing won)
 * instead of an empty cell or a misleading 0.
 */
export function formatLeadReportingFigure(value, options = {}) {
    if (value === false || value === null || value === undefined) {
        return _t("n/a");
    }
    const digits = options.digits || (options.type === "monetary" ? [16, 2] : [16, 1]);
    return formatFloat(value, { digits });
}
registry.category("formatters").add("lead_reporting_figure", formatLeadReportingFigure);

/** A click on a figure of plan versus actual opens the leads behind it. */
async function openLeads(component, domain, context) {
    const action = await component.orm.call(
        "lead.funnel.report",
        "action_open_leads_of",
        [new Domain(domain).toList()],
        { context }
    );
    return component.actionService.doAction(action);
}

export class LeadFunnelReportPivotRenderer extends PivotRenderer {
    setup() {
        super.setup();
        this.orm = useService("orm");
    }
    openView(domain, views, context) {
        return openLeads(this, domain, context);
    }
}

export class LeadFunnelReportGraphRenderer extends GraphRenderer {
    setup() {
        super.setup();
        this.orm = useService("orm");
    }
    openView(domain, views, context) {
        return openLeads(this, domain, context);
    }
}

registry.category("views").add("lead_funnel_report_pivot", {
    ...pivotView,
    Renderer: LeadFunnelReportPivotRenderer,
});
registry.category("views").add("lead_funnel_report_graph", {
    ...graphView,
    Renderer: LeadFunnelReportGraphRenderer,
});
