/** @odoo-module **/
/**
 * What differs in our browser tours between the Odoo versions the addons support (18.0,
 * 19.0); the tours of the three addons import it from here.
 */

import { session } from "@web/session";

const ODOO_MAJOR = (session.server_version_info || [18])[0];

/**
 * A step whose action loads another page (a link, a form posted, goToUrl): Odoo 19.0 wants
 * `expectUnloadPage: true` on it (so the tour does not go on before the page is gone), Odoo
 * 18.0's step schema refuses that key.
 */
export function leavesPage(step) {
    return ODOO_MAJOR >= 19 ? { ...step, expectUnloadPage: true } : step;
}

/**
 * web_tour's step helpers (stepUtils): Odoo 19.0 moved their module from
 * @web_tour/tour_service/tour_utils to @web_tour/tour_utils, so they are looked up when a
 * tour runs (all modules loaded) instead of imported.
 */
export function tourStepUtils() {
    const modules = odoo.loader.modules;
    return (modules.get("@web_tour/tour_utils") || modules.get("@web_tour/tour_service/tour_utils"))
        .stepUtils;
}

/**
 * A form's header buttons on a phone: Odoo 18.0 moves them all into the control panel's cog
 * menu; Odoo 19.0 keeps the first visible one in the status bar and puts the others behind
 * the status bar's "More" button.
 */
export const HEADER_MENU_TRIGGER =
    ODOO_MAJOR >= 19
        ? ".o_statusbar_buttons button[title=More]"
        : ".o_cp_action_menus button:has(.fa-cog)";
export const FIRST_HEADER_BUTTON_IN_BAR = ODOO_MAJOR >= 19;
