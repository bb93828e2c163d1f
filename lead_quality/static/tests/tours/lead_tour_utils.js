/** @odoo-module **/
// Steps of the role tours (lead_quality, lead_distribution, lead_reporting) where a phone
// shows another screen than a desktop. The tests run every role tour at 1440 px and at
// 375 px; on a phone Odoo puts a form's header buttons into a menu (18.0: the cog menu,
// 19.0: the status bar's "More" button, the first one staying in the bar) and its smart
// buttons behind a button, shows the breadcrumbs as a back arrow and the app's menu in a
// side panel, selects list rows by a long press and searches a many2one field's value in a
// dialog. Each helper returns the steps of both layouts (isActive "desktop" / "mobile"),
// checking the same on both.
import { delay, pointerDown, pointerUp } from "@odoo/hoot-dom";
import {
    FIRST_HEADER_BUTTON_IN_BAR,
    HEADER_MENU_TRIGGER,
    tourStepUtils,
} from "@lead_quality/../tests/tours/tour_compat";

/** The steps, run on a desktop only. */
export function onDesktop(steps) {
    return steps.map((step) => ({ ...step, isActive: ["desktop"] }));
}

/** The steps, run on a phone only. */
export function onPhone(steps) {
    return steps.map((step) => ({ ...step, isActive: ["mobile"] }));
}

/** Open the cog menu of the control panel (a form's actions, a list's selected records). */
export function openCogMenu(content = "open the actions menu") {
    return { content, trigger: ".o_cp_action_menus button:has(.fa-cog)", run: "click" };
}

/** Open (or close) the menu that holds a form's header buttons on a phone. */
export function openHeaderMenu(content = "open the menu of the form's header buttons") {
    return { content, trigger: HEADER_MENU_TRIGGER, run: "click" };
}

/** Click a button of a form's header: in the status bar, on a phone in the header menu
 * (Odoo 19.0: the first visible button stays in the status bar). */
export function clickHeaderButton(name, content) {
    const inBar = `.o_statusbar_buttons > button[name=${name}]`;
    const opener = FIRST_HEADER_BUTTON_IN_BAR
        ? {
              content: `${content}: open the header menu unless the button is in the bar`,
              trigger: ".o_statusbar_buttons",
              run() {
                  if (!document.querySelector(inBar)) {
                      document.querySelector(HEADER_MENU_TRIGGER).click();
                  }
              },
          }
        : openHeaderMenu(`${content}: open the form's actions`);
    return [
        ...onDesktop([
            { content, trigger: `.o_form_statusbar button[name=${name}]`, run: "click" },
        ]),
        ...onPhone([
            opener,
            {
                content,
                trigger: `${inBar}, .o-dropdown--menu button[name=${name}]`,
                run: "click",
            },
        ]),
    ];
}

/** Click a smart button of a form: in the button box, on a phone behind its button. */
export function clickStatButton(name, content) {
    return [
        ...onDesktop([{ content, trigger: `.o_form_view button[name=${name}]`, run: "click" }]),
        ...onPhone([
            {
                content: `${content}: show the smart buttons`,
                trigger: ".o_control_panel .o_button_more",
                run: "click",
            },
            { content, trigger: `.o-form-buttonbox-small button[name=${name}]`, run: "click" },
        ]),
    ];
}

/** Back to the previous screen, whose breadcrumb reads ``name``. */
export function goBack(name, content) {
    return [
        ...onDesktop([
            {
                content,
                trigger: `.o_breadcrumb .breadcrumb-item a:contains('${name}')`,
                run: "click",
            },
        ]),
        ...onPhone([{ content, trigger: ".o_breadcrumb .o_back_button", run: "click" }]),
        {
            content: `${content}: back on ${name}`,
            trigger: `.o_breadcrumb .o_last_breadcrumb_item:contains('${name}')`,
        },
    ];
}

/** Open an entry of the current app's menu, in section ``section``. */
export function openMenu(xmlid, section, label, content) {
    return [
        ...onDesktop([
            {
                content: `${content}: open ${section}`,
                trigger: `.o_main_navbar button:contains('${section}'), .o_main_navbar .dropdown-toggle:contains('${section}')`,
                run: "click",
            },
            { content, trigger: `.dropdown-item:contains('${label}')`, run: "click" },
        ]),
        ...onPhone([
            {
                content: `${content}: open the app's menu`,
                trigger: ".o_main_navbar .o_menu_toggle",
                run: "click",
            },
            {
                content,
                trigger: `.o_app_menu_sidebar li[data-menu-xmlid='${xmlid}']:contains('${label}')`,
                run: "click",
            },
        ]),
    ];
}

/** Select the row of a list that contains ``text``: its check box, on a phone a long press. */
export function selectListRow(text, content) {
    const row = `.o_list_view tr.o_data_row:has(td:contains('${text}'))`;
    return [
        ...onDesktop([
            { content, trigger: `${row} .o_list_record_selector input`, run: "click" },
        ]),
        ...onPhone([
            {
                content: `${content} (long press)`,
                trigger: row,
                async run() {
                    // longer than the list's long touch (400 ms) and a long tap (500 ms):
                    // the row is selected, not opened
                    await pointerDown(this.anchor);
                    await delay(650);
                    await pointerUp(this.anchor);
                },
            },
        ]),
        { content: `${content}: selected`, trigger: `${row}.o_data_row_selected` },
    ];
}

/**
 * Choose ``value`` in the many2one field ``field`` (a selector of the field widget): typed
 * into its drop-down on a desktop, searched in the dialog a phone opens.
 */
export function pickMany2one(field, value, content) {
    return [
        ...onDesktop([
            { content, trigger: `${field} input`, run: `edit ${value}` },
            {
                content: `${content}: pick ${value}`,
                trigger: `.o-autocomplete--dropdown-item a:contains('${value}'):not(:contains('Create'))`,
                run: "click",
            },
        ]),
        ...onPhone([
            { content: `${content}: open the search`, trigger: `${field} input`, run: "click" },
            ...tourStepUtils().mobileKanbanSearchMany2X("", value).map((step) => ({
                ...step,
                content: `${content}: search ${value}`,
            })),
        ]),
        { content: `${content}: ${value} chosen`, trigger: `${field} input:value('${value}')` },
    ];
}
