{%- if let Some(doc) = doc %}// {{ doc }}
{% endif -%}
{%- if one_line -%}
func (r *{{ root }}) {{ accessor }}() {{ interface }} { return &{{ receiver }}{r} }
{%- else -%}
func (r *{{ root }}) {{ accessor }}() {{ interface }} {
	return &{{ receiver }}{r}
}
{%- endif -%}
